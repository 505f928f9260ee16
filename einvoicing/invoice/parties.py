"""Checks of the seller and buyer (identifiers, addresses, VAT numbers)."""

from .. import codes
from ..identifiers import (
    ELECTRONIC_ADDRESS_SCHEME,
    IdentifierError,
    validate_electronic_address,
    validate_siren,
    validate_siret,
    validate_vat,
)


def _identifier(add, rule, fld, check, *args, **kwargs):
    try:
        return check(*args, field=fld, **kwargs)
    except IdentifierError as exc:
        add(rule, fld, str(exc))
        return None


def _address(add, fld, party, rule_missing, rule_country):
    if party.address is None:
        add(rule_missing, f"{fld}.address", "the postal address is missing; give at least "
            "the country code (and street, postcode, city).")
    elif party.address.country_code not in codes.countries():
        add(rule_country, f"{fld}.address.country_code", f"{party.address.country_code!r} is "
            "not an ISO 3166-1 alpha-2 country code (e.g. FR).")


def _common(add, fld, party, siren_required, rule_siren):
    if not (party.name or "").strip():
        add("BR-06" if fld == "seller" else "BR-07", f"{fld}.name", "the name is missing.")
    siren = None
    if party.siren:
        siren = _identifier(add, rule_siren, f"{fld}.siren", validate_siren, party.siren)
    elif siren_required:
        add(rule_siren, f"{fld}.siren", "the SIREN is missing; give the 9-digit SIREN "
            "(scheme 0002) of the company.")
    if party.siret:
        _identifier(add, "BR-FR-09", f"{fld}.siret", validate_siret, party.siret,
                    siren=siren or party.siren)
    if party.vat_number:
        vat = _identifier(add, "BR-CO-09", f"{fld}.vat_number", validate_vat, party.vat_number)
        if vat and siren and vat.startswith("FR") and vat[4:7] != "000" and vat[4:] != siren:
            add("MODEL-BT-31", f"{fld}.vat_number", f"{vat} does not contain the SIREN {siren}; "
                "a French VAT number is FR + key + SIREN.")
    return siren


def _electronic_address(add, fld, party, rule_missing, siren_rule, siren):
    if not party.electronic_address:
        add(rule_missing, f"{fld}.electronic_address", "the electronic address is missing; "
            "give the 0225 address of the directory (SIREN, SIREN_SIRET, "
            "SIREN_SIRET_routingcode or SIREN_suffix).")
        return
    if party.electronic_address_scheme != ELECTRONIC_ADDRESS_SCHEME:
        if siren_rule:
            add(siren_rule, f"{fld}.electronic_address_scheme", "must be 0225 for a French "
                f"B2B flow, got {party.electronic_address_scheme!r}.")
        return
    expected = siren if siren_rule else None
    _identifier(add, siren_rule or "BR-FR-23", f"{fld}.electronic_address",
                validate_electronic_address, party.electronic_address, siren=expected)


def party_problems(inv, add):
    bar = inv.note("BAR")
    b2b = bar == "B2B"
    self_billed = inv.type_code in codes.SELF_BILLED_TYPES
    seller_siren = _common(add, "seller", inv.seller, True, "BR-FR-10")
    buyer_siren = _common(add, "buyer", inv.buyer, b2b, "BR-FR-11")
    _address(add, "seller", inv.seller, "BR-08", "BR-09")
    _address(add, "buyer", inv.buyer, "BR-10", "BR-11")
    _electronic_address(add, "seller", inv.seller, "BR-FR-13",
                        "BR-FR-22" if b2b and self_billed else None, seller_siren)
    _electronic_address(add, "buyer", inv.buyer, "BR-FR-12",
                        "BR-FR-21" if b2b and not self_billed else None, buyer_siren)
    _vat_ids(inv, add)


def _vat_ids(inv, add):
    categories = {line.vat_category for line in inv.lines} | {
        (a.vat_category or "").upper() for a in inv.allowances_charges}
    for category in sorted(categories & {"S", "Z", "E", "AE", "K", "G"}):
        if not inv.seller.vat_number:
            add(f"BR-{'IC' if category == 'K' else category}-02", "seller.vat_number",
                f"lines with VAT category {category} need the seller VAT number.")
    for category in sorted(categories & {"AE", "K"}):
        if not inv.buyer.vat_number:
            add(f"BR-{'IC' if category == 'K' else category}-02", "buyer.vat_number",
                f"lines with VAT category {category} need the buyer VAT number.")
    if "K" in categories and not (inv.delivery_date or (inv.period_start and inv.period_end)):
        add("BR-IC-11", "delivery_date", "an intra-community supply needs the actual delivery "
            "date or the invoicing period.")
    if "K" in categories and inv.delivery_address is None:
        add("BR-IC-12", "delivery_address", "an intra-community supply needs the deliver-to "
            "address (at least its country code).")
    if "O" in categories and (inv.seller.vat_number or inv.buyer.vat_number):
        add("BR-O-02", "seller.vat_number", "an invoice not subject to VAT (O) must not carry "
            "the seller or buyer VAT numbers.")
