"""French company identifiers: SIREN, SIRET, VAT number, 0225 electronic address.

Check digits are verified with python-stdnum (Luhn for SIREN/SIRET, including
the La Poste SIRET exception of SIREN 356000000; the key of French VAT
numbers). Every error names the field, the value and what to fix.
"""

import re

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from .errors import InputError

# BR-FR-23 / BR-FR-25: characters and length of a 0225 electronic address.
_ADDRESS_CHARS = re.compile(r"^[A-Za-z0-9+\-_.]+$")
_ADDRESS_MAX = 125
ELECTRONIC_ADDRESS_SCHEME = "0225"


class IdentifierError(InputError):
    """An identifier (SIREN, SIRET, VAT number, electronic address) is invalid."""

    def __init__(self, message, code="invalid_identifier", **params):
        super().__init__(message, code=code, **params)


def _compact(value):
    return re.sub(r"[\s.\-]", "", str(value)) if value is not None else ""


# La Poste's establishments (SIREN 356000000, except the head office SIRET
# 35600000000048) are not Luhn-valid: the sum of their digits is a multiple
# of 5 instead (INSEE). python-stdnum knows this from 1.18; Odoo 18.0 pins
# 1.17 on Python 3.10, so the rule is applied here for every version.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"


def _validate_siret_digits(number):
    if (number.startswith(_LA_POSTE_SIREN) and number != _LA_POSTE_HEAD_OFFICE
            and len(number) == 14 and number.isdigit()):
        if sum(map(int, number)) % 5:
            raise stdnum_errors.InvalidChecksum()
        return number
    return fr_siret.validate(number)


def _reason(exc):
    if isinstance(exc, stdnum_errors.InvalidChecksum):
        return "its check digit is wrong (Luhn / key check failed)"
    if isinstance(exc, stdnum_errors.InvalidLength):
        return "it has the wrong number of digits"
    return "it contains characters that are not allowed"


def validate_siren(value, field="SIREN"):
    """Return the 9-digit SIREN or raise :class:`IdentifierError`."""
    number = _compact(value)
    if not number:
        raise IdentifierError(
            f"{field} is missing; give the 9-digit SIREN of the company.",
            code="siren_missing", field=field,
        )
    try:
        return fr_siren.validate(number)
    except stdnum_errors.ValidationError as exc:
        raise IdentifierError(
            f"{field} {value!r} is not a valid SIREN: {_reason(exc)}. "
            "A SIREN has 9 digits; copy it from the Kbis or the INSEE directory.",
            code="siren_invalid", field=field, value=str(value),
        ) from exc


def validate_siret(value, siren=None, field="SIRET"):
    """Return the 14-digit SIRET; when ``siren`` is given it must be its prefix."""
    number = _compact(value)
    if not number:
        raise IdentifierError(
            f"{field} is missing; give the 14-digit SIRET of the establishment.",
            code="siret_missing", field=field,
        )
    try:
        number = _validate_siret_digits(number)
    except stdnum_errors.ValidationError as exc:
        raise IdentifierError(
            f"{field} {value!r} is not a valid SIRET: {_reason(exc)}. "
            "A SIRET has 14 digits: the SIREN followed by the 5-digit NIC.",
            code="siret_invalid", field=field, value=str(value),
        ) from exc
    if siren is not None and not number.startswith(_compact(siren)):
        raise IdentifierError(
            f"{field} {number} does not start with the SIREN {siren} (BR-FR-09): "
            "a SIRET is the SIREN followed by the establishment number; "
            "use a SIRET of this company or correct the SIREN.",
            code="siret_siren_mismatch", field=field, value=number, siren=str(siren),
        )
    return number


def validate_vat(value, field="VAT number"):
    """Return the compact VAT number (FR key checked; other EU numbers via stdnum)."""
    number = _compact(value).upper()
    if not number:
        raise IdentifierError(
            f"{field} is missing; give the intra-community VAT number (e.g. FR + key + SIREN).",
            code="vat_missing", field=field,
        )
    try:
        if number.startswith("FR"):
            return "FR" + fr_tva.validate(number[2:])
        return eu_vat.validate(number)
    except stdnum_errors.ValidationError as exc:
        raise IdentifierError(
            f"{field} {value!r} is not a valid VAT number: {_reason(exc)}. "
            "A French VAT number is FR, a 2-character key and the 9-digit SIREN.",
            code="vat_invalid", field=field, value=str(value),
        ) from exc


def siren_from_vat(vat):
    """The SIREN inside a French VAT number, or None for other countries / Monaco."""
    number = validate_vat(vat)
    if number.startswith("FR") and number[4:7] != "000":
        return number[4:]
    return None


def validate_electronic_address(value, siren=None, field="electronic address"):
    """Check a scheme 0225 address: SIREN, SIREN_SIRET, SIREN_SIRET_routing or SIREN_suffix.

    When ``siren`` is given the address must start with it (BR-FR-21/22).
    Returns the address unchanged (it is an identifier, not reformatted).
    """
    text = "" if value is None else str(value).strip()
    if not text:
        raise IdentifierError(
            f"{field} is missing; give the 0225 address registered in the directory "
            "(SIREN, SIREN_SIRET, SIREN_SIRET_routingcode or SIREN_suffix).",
            code="address_missing", field=field,
        )
    if len(text) > _ADDRESS_MAX or not _ADDRESS_CHARS.match(text):
        raise IdentifierError(
            f"{field} {text!r} is not a valid 0225 address: at most {_ADDRESS_MAX} characters "
            "among letters, digits and + - _ . (BR-FR-23/BR-FR-25).",
            code="address_format", field=field, value=text,
        )
    parts = text.split("_")
    head = validate_siren(parts[0], field=f"{field} (SIREN part)")
    if siren is not None and head != _compact(siren):
        raise IdentifierError(
            f"{field} {text!r} must start with the party's SIREN {siren} (BR-FR-21/22).",
            code="address_siren_mismatch", field=field, value=text, siren=str(siren),
        )
    if len(parts) >= 2 and parts[1].isdigit() and len(parts[1]) == 14:
        validate_siret(parts[1], siren=head, field=f"{field} (SIRET part)")
        if len(parts) == 3 and parts[2]:
            return text
        if len(parts) == 2:
            return text
    elif len(parts) == 2 and parts[1]:
        return text  # SIREN_suffix
    elif len(parts) == 1:
        return text
    raise IdentifierError(
        f"{field} {text!r} does not follow a 0225 format: SIREN, SIREN_SIRET, "
        "SIREN_SIRET_routingcode or SIREN_suffix.",
        code="address_format", field=field, value=text,
    )
