# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Supplier of a received invoice: matched by SIREN/SIRET, then VAT, then name; else created.

Plain functions over an ``l10n_fr_pa.inbound`` record.

A foreign supplier has no SIREN: it is matched by VAT number (Odoo's own
``_retrieve_partner_with_vat``), then by exact name (case-insensitive, never a partial
match, and never a partner whose own VAT or SIREN contradicts the invoice's). Several
different suppliers matching at the same step is an error, not a guess.
"""

import re

from odoo.exceptions import ValidationError

from ..einvoicing import identifiers
from . import l10n_fr_pa_inbound_errors as errors
from .l10n_fr_pa_inbound_errors import ImportProblem

ADDRESS_SCHEME = "0225"


def _digits(value):
    return re.sub(r"\D", "", value or "")


def party_siren(party):
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


def partner_domain(inbound):
    Partner = inbound.env["res.partner"]
    return [*Partner._check_company_domain(inbound.company_id), ("parent_id", "=", False)]


def match_partner(inbound, party, siren):
    """(partner, how) with how in siren/vat/name, or (empty, None) when none matches."""
    Partner = inbound.env["res.partner"]
    domain = partner_domain(inbound)
    steps = []
    if siren:
        steps.append(("siren", lambda: by_siren(inbound, domain, siren, party.siret)))
    if party.vat_number:
        steps.append(("vat", lambda: Partner._retrieve_partner_with_vat(
            party.vat_number, domain) or Partner))
    if party.name:
        steps.append(("name", lambda: Partner.search(
            [*domain, ("name", "=ilike", party.name.strip())], limit=3,
        ).filtered(lambda p: not conflicts(p, party, siren))))
    if not steps:
        raise ImportProblem(errors.PARTNER_VALIDATION, inbound.env._(
            "The invoice gives no SIREN, VAT number or name for its supplier."))
    for how, find in steps:
        found = find().commercial_partner_id
        if len(found) == 1:
            return found, how
        if len(found) > 1:
            raise ImportProblem(errors.PARTNER_AMBIGUOUS, inbound.env._(
                "Suppliers %(names)s all match the invoice's %(key)s.",
                names=", ".join(found.mapped("display_name")),
                key=dict(inbound._fields["partner_match"].selection)[how]))
    return Partner, None


def conflicts(partner, party, siren):
    """True when ``partner`` carries a VAT or SIREN that contradicts the invoice's."""
    vat = (party.vat_number or "").replace(" ", "").upper()
    own_vat = (partner.vat or "").replace(" ", "").upper()
    own_siren = _digits(partner.company_registry)[:9]
    return bool((vat and own_vat and vat != own_vat)
                or (siren and own_siren and siren != own_siren))


def by_siren(inbound, domain, siren, siret):
    """Partners whose SIREN (company_registry) or SIRET (l10n_fr ``siret``) match."""
    Partner = inbound.env["res.partner"]
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    options = [[("company_registry", "in", [siren, spaced, siret or siren])]]
    if "siret" in Partner._fields:
        options.append([("siret", "=like", f"{siren}%")])
    found = Partner.browse()
    for option in options:
        found |= Partner.search([*domain, *option])
    if siret and len(found.commercial_partner_id) > 1:
        exact = found.filtered(lambda p: _digits(p["siret"]) == siret
                               if "siret" in p._fields else False)
        found = exact or found
    return found


def create_partner(inbound, party, siren):
    """Create the supplier with its SIREN, SIRET, VAT, address and electronic address."""
    if not party.name:
        raise ImportProblem(errors.PARTNER_VALIDATION, inbound.env._(
            "The invoice's supplier has no name: it cannot be created."))
    vals = {"name": party.name, "is_company": True, "company_registry": siren or False,
            "email": party.contact_email or False, "phone": party.contact_phone or False}
    if party.siret and "siret" in inbound.env["res.partner"]._fields:
        vals["siret"] = party.siret
    address = party.address
    if address:
        country = inbound.env["res.country"].search(
            [("code", "=", (address.country_code or "").upper())], limit=1)
        vals.update({"street": address.line1 or False, "street2": address.line2 or False,
                     "zip": address.postcode or False, "city": address.city or False,
                     "country_id": country.id or False})
    partner = inbound.env["res.partner"].create(vals)
    set_partner_ids(inbound, partner, party)
    return partner


def set_partner_ids(inbound, partner, party):
    """VAT and electronic address, each kept only when Odoo accepts it (said otherwise)."""
    for vals in (
        {"vat": party.vat_number} if party.vat_number else None,
        {"peppol_eas": party.electronic_address_scheme,
         "peppol_endpoint": party.electronic_address}
        if party.electronic_address and "peppol_eas" in partner._fields else None,
    ):
        if not vals:
            continue
        try:
            with inbound.env.cr.savepoint():
                partner.write(vals)
        except (ValidationError, ValueError) as exc:
            partner.message_post(body=inbound.env._(
                "Created from an e-invoice; %(values)s not kept: %(error)s",
                values=", ".join(str(v) for v in vals.values()), error=str(exc)))
