# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Partner side of e-invoicing: the sending method and the recipient's identifiers.

No parallel SIREN field: the SIREN is read from Odoo's own fields
(``company_registry``, and l10n_fr's ``siret``): ``read_siren`` validates it for sending,
``find_siren`` reads it for matching; the 0225
electronic address lives in the host's ``peppol_eas`` / ``peppol_endpoint``.
"""

import re
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..einvoicing import identifiers
from ..einvoicing.afnor import AfnorError

SENDING_METHOD = "l10n_fr_pa"
ADDRESS_SCHEME = identifiers.ELECTRONIC_ADDRESS_SCHEME
SIREN_FIELDS = ("company_registry", "siret")
DIRECTORY_STATUSES = [("Enabled", "Enabled"), ("Disabled", "Disabled"),
                      ("Upcoming", "Not active yet"), ("none", "No line")]
# A directory line read less than this long ago is reused (minutes; system parameter).
DIRECTORY_CACHE_PARAM = "l10n_fr_einvoice_pa.directory_cache_minutes"
DIRECTORY_CACHE_MINUTES = 5


def _digits(value):
    return re.sub(r"[\s.\-]", "", value or "")


def _siren_of_value(value, label):
    """The SIREN of a SIREN or SIRET ``value`` (``IdentifierError`` when not valid)."""
    number = _digits(value)
    if len(number) == 14:
        return identifiers.validate_siret(number, field=label)[:9]
    return identifiers.validate_siren(number, field=label)


def _siren_fields(record):
    """[(field label, value)] of the filled SIREN fields of a company or partner."""
    return [(record._fields[fname].get_description(record.env)["string"], record[fname])
            for fname in SIREN_FIELDS if record[fname]]


def read_siren(record, role):
    """The validated SIREN of a company or partner ``record`` (UserError otherwise).

    Reads ``company_registry`` (a SIREN, or a SIRET whose first 9 digits are the SIREN)
    then ``siret``; every filled field must be valid and they must agree. ``role`` is
    "sender" or "recipient" (chooses the messages). Never falls back on another value.
    """
    Messages = record.env["l10n_fr_pa.messages"]
    found = {}
    for label, value in _siren_fields(record):
        try:
            found[label] = _siren_of_value(value, label)
        except identifiers.IdentifierError as exc:
            raise UserError(Messages._siren_problem(
                "invalid", role, record, detail=Messages._user_message(exc))) from exc
    if not found:
        labels = " / ".join(record._fields[f].get_description(record.env)["string"]
                            for f in SIREN_FIELDS)
        raise UserError(Messages._siren_problem("missing", role, record, fields=labels))
    if len(set(found.values())) > 1:
        raise UserError(Messages._siren_problem(
            "disagree", role, record, values=", ".join(f"{k}: {v}" for k, v in found.items())))
    return next(iter(found.values()))


def find_siren(record):
    """The SIREN a company or partner shows, or False; never raises, never invents.

    The first valid SIREN field (as ``read_siren`` reads them), else a French VAT number
    (FRkk + SIREN). For matching, where ``read_siren`` would refuse a bad value.
    """
    for label, value in _siren_fields(record):
        try:
            return _siren_of_value(value, label)
        except identifiers.IdentifierError:
            continue
    try:
        return (identifiers.siren_from_vat(record.vat) if record.vat else None) or False
    except identifiers.IdentifierError:
        return False


def read_siret(record):
    """The SIRET found in the record's fields (14 digits) or None; never invented."""
    for fname in reversed(SIREN_FIELDS):
        if len(_digits(record[fname])) == 14:
            return _digits(record[fname])
    return None


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[(SENDING_METHOD, "E-invoicing platform (France)")],
    )
    l10n_fr_pa_routing_code = fields.Char(
        string="Routing code",
        help="Routing (service) code of the recipient in the e-invoicing directory, e.g. the "
        "service code of a public entity: the invoice goes to that service's line and the "
        "code is written as buyer reference (BT-10).",
    )
    l10n_fr_pa_directory_address = fields.Char(
        string="Directory line", readonly=True, copy=False,
        help="Electronic address (0225) of the directory line invoices are sent to, as read "
        "from the directory at the last check.")
    l10n_fr_pa_directory_status = fields.Selection(
        DIRECTORY_STATUSES, string="Directory line status", readonly=True, copy=False)
    l10n_fr_pa_directory_platform = fields.Char(
        string="Platform type", readonly=True, copy=False,
        help="Type of the platform holding the directory line (WK: accredited platform).")
    l10n_fr_pa_directory_public = fields.Boolean(
        string="Public entity", readonly=True, copy=False,
        help="The directory says this company is a public entity: invoices go out with the "
        "B2G processing rule.")
    l10n_fr_pa_directory_checked = fields.Datetime(
        string="Directory checked on", readonly=True, copy=False)

    def _l10n_fr_pa_is_french(self):
        self.ensure_one()
        return self.commercial_partner_id.country_id.code == "FR"

    def _l10n_fr_pa_siren(self):
        """The recipient's validated SIREN (UserError naming the field otherwise)."""
        return read_siren(self.commercial_partner_id, "recipient")

    def _l10n_fr_pa_find_siren(self):
        """The SIREN the partner shows, or False (for matching; never raises)."""
        return find_siren(self.commercial_partner_id)

    def _l10n_fr_pa_siret(self):
        return read_siret(self.commercial_partner_id)

    def _l10n_fr_pa_electronic_address(self):
        """The partner's stored 0225 address, or False."""
        partner = self.commercial_partner_id
        if partner.peppol_eas == ADDRESS_SCHEME:
            return partner.peppol_endpoint or False
        return False

    def _l10n_fr_pa_store_electronic_address(self, address):
        self.commercial_partner_id.sudo().write(
            {"peppol_eas": ADDRESS_SCHEME, "peppol_endpoint": address})

    def _l10n_fr_pa_routing_code(self):
        """The routing code of this contact, else of its company (or False)."""
        self.ensure_one()
        return self.l10n_fr_pa_routing_code or self.commercial_partner_id.l10n_fr_pa_routing_code

    def _l10n_fr_pa_directory_fresh(self):
        partner = self.commercial_partner_id
        minutes = int(self.env["ir.config_parameter"].sudo().get_param(
            DIRECTORY_CACHE_PARAM, DIRECTORY_CACHE_MINUTES))
        checked = partner.l10n_fr_pa_directory_checked
        return bool(checked and partner.l10n_fr_pa_directory_status
                    and checked > fields.Datetime.now() - timedelta(minutes=minutes))

    def _l10n_fr_pa_directory_line(self, connection, force=False):
        """The recipient's directory line as stored on the company partner: read again from
        the directory unless read less than a few minutes ago (``force``: always).
        Returns ``(address or False, status)``; AfnorError from the directory is raised."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if force or not self._l10n_fr_pa_directory_fresh():
            client = connection._get_directory_client()
            siren = partner._l10n_fr_pa_siren()
            line = client.find_line(
                siren, siret=partner._l10n_fr_pa_siret() or None,
                routing_identifier=self._l10n_fr_pa_routing_code() or None) or {}
            legal_unit = line.get("legalUnit") or (client.get_siren(siren) if line else {})
            partner.sudo().write({
                "l10n_fr_pa_directory_address": line.get("addressingIdentifier") or False,
                "l10n_fr_pa_directory_status": line.get("directoryLineStatus") or "none",
                "l10n_fr_pa_directory_platform": line.get("platformType") or False,
                "l10n_fr_pa_directory_public": legal_unit.get("entityType") == "Public",
                "l10n_fr_pa_directory_checked": fields.Datetime.now(),
            })
        return partner.l10n_fr_pa_directory_address, partner.l10n_fr_pa_directory_status

    def action_l10n_fr_pa_check_directory(self):
        """Button: read the company's directory line now and say what it is."""
        self.ensure_one()
        connection = self.env.company._l10n_fr_pa_connection()
        try:
            address, status = self._l10n_fr_pa_directory_line(connection, force=True)
        except AfnorError as error:
            self.env["l10n_fr_pa.messages"]._raise_user_error(error)
        partner = self.commercial_partner_id
        label = dict(self._fields["l10n_fr_pa_directory_status"]._description_selection(
            self.env))[status]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if status == "Enabled" else "warning",
                "message": self.env._(
                    "Directory line of %(name)s: %(line)s (%(status)s).",
                    name=partner.display_name, line=address or "-", status=label),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
