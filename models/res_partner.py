# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Partner side of e-invoicing: the sending method and the recipient's identifiers.

No parallel SIREN field: the SIREN is read from Odoo's own fields
(``company_registry``, and l10n_fr's ``siret`` when installed); the 0225
electronic address lives in the host's ``peppol_eas`` / ``peppol_endpoint``.
"""

import re

from odoo import fields, models
from odoo.exceptions import UserError

from ..einvoicing import identifiers

SENDING_METHOD = "l10n_fr_pa"
ADDRESS_SCHEME = identifiers.ELECTRONIC_ADDRESS_SCHEME
SIREN_FIELDS = ("company_registry", "siret")


def _digits(value):
    return re.sub(r"[\s.\-]", "", value or "")


def _siren_messages(env, role):
    """Translated messages of one role; kept whole so translators see full sentences."""
    if role == "sender":
        return {
            "invalid": env._(
                "The sender's SIREN is not valid: %(field)s of the company %(name)s is "
                "\"%(value)s\". A SIREN has 9 digits (a SIRET 14) with a valid check digit; "
                "correct it in the company's settings. Nothing was sent."),
            "missing": env._(
                "The sender's SIREN is missing: fill %(fields)s of the company %(name)s with its "
                "9-digit SIREN (or 14-digit SIRET). No default value is used. Nothing was sent."),
            "disagree": env._(
                "The identifiers of the company %(name)s disagree: %(values)s. Correct them "
                "so they give the same SIREN. Nothing was sent."),
        }
    return {
        "invalid": env._(
            "The recipient's SIREN is not valid: %(field)s of %(name)s is \"%(value)s\". "
            "A SIREN has 9 digits (a SIRET 14) with a valid check digit; correct it on the "
            "customer. Nothing was sent."),
        "missing": env._(
            "The recipient's SIREN is missing: fill %(fields)s of %(name)s with its 9-digit "
            "SIREN (or 14-digit SIRET). Nothing was sent."),
        "disagree": env._(
            "The identifiers of %(name)s disagree: %(values)s. Correct them so they give "
            "the same SIREN. Nothing was sent."),
    }


def read_siren(record, role):
    """The validated SIREN of a company or partner ``record`` (UserError otherwise).

    Reads ``company_registry`` (a SIREN, or a SIRET whose first 9 digits are the SIREN)
    then ``siret``; every filled field must be valid and they must agree. ``role`` is
    "sender" or "recipient" (chooses the messages). Never falls back on another value.
    """
    env = record.env
    messages = _siren_messages(env, role)
    found = {}
    for fname in SIREN_FIELDS:
        if fname not in record._fields or not record[fname]:
            continue
        label = record._fields[fname].get_description(env)["string"]
        value = record[fname]
        number = _digits(value)
        try:
            if len(number) == 14:
                siren = identifiers.validate_siret(number, field=label)[:9]
            else:
                siren = identifiers.validate_siren(number, field=label)
        except identifiers.IdentifierError as exc:
            raise UserError(messages["invalid"] % {
                "field": label, "name": record.display_name, "value": value,
            }) from exc
        found[label] = siren
    if not found:
        labels = " / ".join(
            record._fields[f].get_description(env)["string"]
            for f in SIREN_FIELDS if f in record._fields
        )
        raise UserError(messages["missing"] % {"fields": labels, "name": record.display_name})
    if len(set(found.values())) > 1:
        raise UserError(messages["disagree"] % {
            "name": record.display_name,
            "values": ", ".join(f"{k}: {v}" for k, v in found.items()),
        })
    return next(iter(found.values()))


def read_siret(record):
    """The SIRET found in the record's fields (14 digits) or None; never invented."""
    for fname in reversed(SIREN_FIELDS):
        if fname in record._fields and len(_digits(record[fname])) == 14:
            return _digits(record[fname])
    return None


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[(SENDING_METHOD, "E-invoicing platform (France)")],
    )

    def _l10n_fr_pa_is_french(self):
        self.ensure_one()
        return self.commercial_partner_id.country_id.code == "FR"

    def _l10n_fr_pa_siren(self):
        partner = self.commercial_partner_id
        return read_siren(partner, "recipient")

    def _l10n_fr_pa_siret(self):
        return read_siret(self.commercial_partner_id)

    def _l10n_fr_pa_electronic_address(self):
        """The partner's stored 0225 address, or False."""
        partner = self.commercial_partner_id
        if "peppol_eas" in partner._fields and partner.peppol_eas == ADDRESS_SCHEME:
            return partner.peppol_endpoint or False
        return False

    def _l10n_fr_pa_store_electronic_address(self, address):
        partner = self.commercial_partner_id
        if "peppol_eas" in partner._fields:
            partner.sudo().write({"peppol_eas": ADDRESS_SCHEME, "peppol_endpoint": address})
