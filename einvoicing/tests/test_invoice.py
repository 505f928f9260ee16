"""Invoice model: JSON form, EN16931 totals and rounding."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from einvoicing.invoice import AllowanceCharge, Invoice, InvoiceError, Line
from einvoicing.invoice.samples import sample_credit_note, sample_invoice

DATA = Path(__file__).parent / "data"
D = Decimal


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_fixture_json_is_the_sample_invoice():
    assert Invoice.from_dict(_load("invoice_fr_b2b.json")) == sample_invoice()
    assert Invoice.from_dict(_load("credit_note_fr_b2b.json")) == sample_credit_note()


def test_json_round_trip_is_lossless():
    inv = sample_credit_note()
    text = json.dumps(inv.to_dict())
    assert Invoice.from_dict(json.loads(text)) == inv


def test_sample_totals_follow_en16931_rounding():
    totals = sample_invoice().totals()
    # line 1: 3 x 85.00 = 255.00 - 10 % (25.50) = 229.50; line 2: 4 x 21.40 = 85.60;
    # line 3: 60.00
    assert totals.line_total == D("375.10")
    by_rate = {b.rate: (b.basis, b.tax) for b in totals.vat_breakdown}
    assert by_rate == {
        D("20"): (D("229.50"), D("45.90")),
        D("5.5"): (D("85.60"), D("4.71")),  # 4.708 rounded half up
        D("10"): (D("60.00"), D("6.00")),
    }
    assert totals.tax_total == D("56.61")
    assert totals.grand_total == D("431.71")
    assert totals.due_payable == D("431.71")


def test_vat_is_computed_on_the_summed_base_not_per_line():
    lines = [Line(id=str(i), name="Pain", quantity=D("1"), unit_price=D("0.05"),
                  vat_category="S", vat_rate=D("5.5")) for i in (1, 2)]
    totals = sample_invoice(lines=lines).totals()
    # per line 0.05 x 5.5 % = 0.00275 -> 0.00; on the base 0.10 x 5.5 % = 0.0055 -> 0.01
    assert totals.tax_total == D("0.01")


def test_line_net_rounds_quantity_times_price_and_absolute_discount():
    line = Line(id="1", name="Câble", quantity=D("2.5"), unit_price=D("3.333"),
                vat_category="S", vat_rate=D("20"), unit_code="MTR",
                allowances_charges=[AllowanceCharge(amount=D("1.00"), reason="Remise")])
    assert line.gross_amount() == D("8.33")  # 8.3325
    assert line.net_amount() == D("7.33")


def test_base_quantity_divides_the_price():
    line = Line(id="1", name="Vis", quantity=D("250"), unit_price=D("12.00"),
                base_quantity=D("100"), vat_category="S", vat_rate=D("20"))
    assert line.net_amount() == D("30.00")


def test_document_allowance_and_charge_in_totals():
    inv = sample_invoice(allowances_charges=[
        AllowanceCharge(percent=D("5"), reason="Remise commerciale", reason_code="95",
                        vat_category="S", vat_rate=D("20")),
        AllowanceCharge(charge=True, amount=D("15.00"), reason="Frais de port",
                        reason_code="FC", vat_category="S", vat_rate=D("20")),
    ])
    totals = inv.totals()
    # 5 % of the 20 % base 229.50 = 11.475 -> 11.48
    assert totals.allowance_total == D("11.48")
    assert totals.charge_total == D("15.00")
    assert totals.tax_basis_total == D("375.10") - D("11.48") + D("15.00")
    basis_20 = next(b for b in totals.vat_breakdown if b.rate == D("20"))
    assert basis_20.basis == D("233.02")
    assert basis_20.tax == D("46.60")  # 46.604


def test_unit_names_of_the_seed_map_to_rec20():
    data = _load("invoice_fr_b2b.json")
    data["lines"][0].pop("unit_code")
    data["lines"][0]["unit"] = "hour"
    assert Invoice.from_dict(data).lines[0].unit_code == "HUR"


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.update(surprise=1), "invoice"),
    (lambda d: d["lines"][0].update(quantity="3,5"), "invoice.lines[0].quantity"),
    (lambda d: d.update(issue_date="15/09/2025"), "invoice.issue_date"),
    (lambda d: d.pop("number"), "invoice.number"),
    (lambda d: d["lines"][0]["allowances_charges"][0].update(value="0.1"),
     "invoice.lines[0].allowances_charges[0]"),
    (lambda d: d.update(lines=[]), "invoice.lines"),
])
def test_bad_json_names_the_field(mutate, field):
    data = _load("invoice_fr_b2b.json")
    mutate(data)
    with pytest.raises(InvoiceError) as err:
        Invoice.from_dict(data)
    assert err.value.params["field"] == field
    assert field in str(err.value)


def test_sample_invoice_accepts_custom_parties_and_number():
    inv = sample_invoice(number="FA-42", buyer={
        "name": "Client SA", "siren": "552100554", "electronic_address": "552100554",
        "address": {"country_code": "FR", "city": "Nantes"}})
    assert inv.number == "FA-42" and inv.buyer.siren == "552100554"
    assert inv.problems() == []
    with pytest.raises(TypeError):
        sample_invoice(not_a_field=1)
