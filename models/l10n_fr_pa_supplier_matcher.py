# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Supplier of a received invoice: service model ``l10n_fr_pa.supplier.matcher``.

Matched by SIREN/SIRET, then VAT, then name (``_get_match_steps``); else created
(``_prepare_partner_vals``). Every method takes the ``l10n_fr_pa.inbound`` record.

A foreign supplier has no SIREN: it is matched by VAT number (Odoo's own
``_retrieve_partner_with_vat``), then by exact name (case-insensitive, never a partial
match, and never a partner whose own VAT or SIREN contradicts the invoice's). Several
different suppliers matching at the same step is an error, not a guess.
"""

import re

from odoo import models
from odoo.exceptions import ValidationError

from ..einvoicing import identifiers
from . import l10n_fr_pa_inbound_errors as errors
from .l10n_fr_pa_inbound_errors import ImportProblem

ADDRESS_SCHEME = identifiers.ELECTRONIC_ADDRESS_SCHEME


def _digits(value):
    return re.sub(r"\D", "", value or "")


class L10nFrPaSupplierMatcher(models.AbstractModel):
    _name = "l10n_fr_pa.supplier.matcher"
    _description = "E-invoicing: supplier of a received invoice"

    def _party_siren(self, party):
        """SIREN of a core ``Party``: its SIREN, SIRET, 0225 address or French VAT; or None."""
        if party.siren:
            return party.siren
        if party.siret:
            return party.siret[:9]
        address = party.electronic_address or ""
        if party.electronic_address_scheme == ADDRESS_SCHEME and re.match(r"^\d{9}", address):
            return address[:9]
        if party.vat_number:
            try:
                return identifiers.siren_from_vat(party.vat_number)
            except identifiers.IdentifierError:
                return None
        return None

    def _get_partner_domain(self, inbound):
        Partner = self.env["res.partner"]
        return [*Partner._check_company_domain(inbound.company_id), ("parent_id", "=", False)]

    def _get_match_steps(self, inbound, party, siren):
        """[(how, finder)] tried in order; ``how`` is a key of the inbound's ``partner_match``."""
        Partner = self.env["res.partner"]
        domain = self._get_partner_domain(inbound)
        steps = []
        if siren:
            steps.append(("siren", lambda: self._by_siren(domain, siren, party.siret)))
        if party.vat_number:
            steps.append(("vat", lambda: Partner._retrieve_partner_with_vat(
                party.vat_number, domain) or Partner))
        if party.name:
            steps.append(("name", lambda: Partner.search(
                [*domain, ("name", "=ilike", party.name.strip())], limit=3,
            ).filtered(lambda p: not self._conflicts(p, party, siren))))
        return steps

    def _match_partner(self, inbound, party, siren):
        """(partner, how) with how in siren/vat/name, or (empty, None) when none matches."""
        steps = self._get_match_steps(inbound, party, siren)
        if not steps:
            raise ImportProblem(errors.PARTNER_VALIDATION, self.env._(
                "The invoice gives no SIREN, VAT number or name for its supplier."))
        for how, find in steps:
            found = find().commercial_partner_id
            if len(found) == 1:
                return found, how
            if len(found) > 1:
                raise ImportProblem(errors.PARTNER_AMBIGUOUS, self.env._(
                    "Suppliers %(names)s all match the invoice's %(key)s.",
                    names=", ".join(found.mapped("display_name")),
                    key=dict(inbound._fields["partner_match"].selection)[how]))
        return self.env["res.partner"], None

    def _conflicts(self, partner, party, siren):
        """True when ``partner`` carries a VAT or SIREN that contradicts the invoice's."""
        vat = (party.vat_number or "").replace(" ", "").upper()
        own_vat = (partner.vat or "").replace(" ", "").upper()
        own_siren = partner._l10n_fr_pa_find_siren()
        return bool((vat and own_vat and vat != own_vat)
                    or (siren and own_siren and siren != own_siren))

    def _by_siren(self, domain, siren, siret):
        """Partners whose SIREN (company_registry) or SIRET (l10n_fr ``siret``) match."""
        Partner = self.env["res.partner"]
        spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
        found = Partner.search([*domain, "|",
                                ("company_registry", "in", [siren, spaced, siret or siren]),
                                ("siret", "=like", f"{siren}%")])
        if siret and len(found.commercial_partner_id) > 1:
            found = found.filtered(lambda p: _digits(p.siret) == siret) or found
        return found

    def _prepare_partner_vals(self, inbound, party, siren):
        """Values of the supplier created from the invoice (SIREN, SIRET, contact, address)."""
        vals = {"name": party.name, "is_company": True, "company_registry": siren or False,
                "siret": party.siret or False,
                "email": party.contact_email or False, "phone": party.contact_phone or False}
        address = party.address
        if address:
            country = self.env["res.country"].search(
                [("code", "=", (address.country_code or "").upper())], limit=1)
            vals.update({"street": address.line1 or False, "street2": address.line2 or False,
                         "zip": address.postcode or False, "city": address.city or False,
                         "country_id": country.id or False})
        return vals

    def _create_partner(self, inbound, party, siren):
        """Create the supplier with its SIREN, SIRET, VAT, address and electronic address."""
        if not party.name:
            raise ImportProblem(errors.PARTNER_VALIDATION, self.env._(
                "The invoice's supplier has no name: it cannot be created."))
        partner = self.env["res.partner"].create(self._prepare_partner_vals(inbound, party, siren))
        self._set_partner_ids(partner, party)
        return partner

    def _set_partner_ids(self, partner, party):
        """VAT and electronic address, each kept only when Odoo accepts it (said otherwise)."""
        for vals in (
            {"vat": party.vat_number} if party.vat_number else None,
            {"peppol_eas": party.electronic_address_scheme,
             "peppol_endpoint": party.electronic_address}
            if party.electronic_address else None,
        ):
            if not vals:
                continue
            try:
                with self.env.cr.savepoint():
                    partner.write(vals)
            except (ValidationError, ValueError) as exc:
                partner.message_post(body=self.env._(
                    "Created from an e-invoice; %(values)s not kept: %(error)s",
                    values=", ".join(str(v) for v in vals.values()), error=str(exc)))
