import pytest
from stdnum import luhn

from einvoicing.identifiers import (
    IdentifierError,
    siren_from_vat,
    validate_electronic_address,
    validate_siren,
    validate_siret,
    validate_vat,
)


def test_siren_normalised_and_luhn_checked():
    assert validate_siren(" 123 456 782 ") == "123456782"
    with pytest.raises(IdentifierError) as err:
        validate_siren("123456789", field="seller.siren")
    assert "seller.siren" in str(err.value) and "123456789" in str(err.value)
    assert err.value.code == "siren_invalid"


def test_siren_missing_names_field():
    with pytest.raises(IdentifierError, match="buyer.siren is missing"):
        validate_siren("", field="buyer.siren")


def test_siret_must_start_with_siren():
    assert validate_siret("12345678200010", siren="123456782") == "12345678200010"
    with pytest.raises(IdentifierError) as err:
        validate_siret("98765432400019", siren="123456782")
    assert err.value.code == "siret_siren_mismatch"
    assert "BR-FR-09" in str(err.value) and "98765432400019" in str(err.value)


def test_siret_bad_check_digit():
    with pytest.raises(IdentifierError, match="check digit"):
        validate_siret("12345678200011")


def test_la_poste_siret_exception():
    # La Poste establishments (SIREN 356000000) use a digit-sum rule, not Luhn.
    assert not luhn.is_valid("35600000012341")
    assert validate_siret("35600000012341", siren="356000000") == "35600000012341"
    with pytest.raises(IdentifierError):
        validate_siret("35600000012342")


def test_vat_key_checked():
    assert validate_vat("fr 11 123456782") == "FR11123456782"
    with pytest.raises(IdentifierError) as err:
        validate_vat("FR12123456782", field="seller.vat_number")
    assert "seller.vat_number" in str(err.value) and err.value.code == "vat_invalid"
    assert validate_vat("DE136695976") == "DE136695976"


def test_siren_from_vat():
    assert siren_from_vat("FR11123456782") == "123456782"
    assert siren_from_vat("DE136695976") is None


@pytest.mark.parametrize("address", [
    "123456782",
    "123456782_12345678200010",
    "123456782_12345678200010_SERVICE-ACHATS",
    "123456782_FACTURES",
])
def test_electronic_address_formats(address):
    assert validate_electronic_address(address, siren="123456782") == address


@pytest.mark.parametrize(("address", "code"), [
    ("987654324", "address_siren_mismatch"),
    ("123456782_98765432400019", "siret_siren_mismatch"),
    ("123456782 FACT", "address_format"),
    ("123456789", "siren_invalid"),
    ("123456782_12345678200010_A_B", "address_format"),
    ("1" * 126, "address_format"),
    ("", "address_missing"),
])
def test_electronic_address_errors(address, code):
    with pytest.raises(IdentifierError) as err:
        validate_electronic_address(address, siren="123456782", field="buyer.electronic_address")
    assert err.value.code == code
    assert "buyer.electronic_address" in str(err.value)
