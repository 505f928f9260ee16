"""The official EN16931 CII examples parse with totals equal to their own totals."""

import pytest

from einvoicing.standards import STANDARDS_DIR
from einvoicing.syntax import parse_invoice_xml

EXAMPLES = sorted((STANDARDS_DIR / "examples" / "cii").glob("*.xml"))
AMOUNTS = ("line_total", "allowance_total", "charge_total", "tax_basis_total", "tax_total",
           "grand_total", "prepaid", "rounding", "due_payable")


def _vat(breakdown):
    return sorted((b.category, b.rate, b.basis, b.tax) for b in breakdown)


def test_examples_are_there():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_totals_match_the_document(path):
    inv = parse_invoice_xml(path.read_bytes())
    computed, declared = inv.totals(), inv.declared_totals
    assert {k: getattr(computed, k) for k in AMOUNTS} == {k: getattr(declared, k)
                                                         for k in AMOUNTS}
    assert _vat(computed.vat_breakdown) == _vat(declared.vat_breakdown)
    assert not [p for p in inv.problems() if p.rule.startswith("BR-CO-1")]


def test_example5_details_are_read():
    inv = parse_invoice_xml((STANDARDS_DIR / "examples/cii/CII_example5.xml").read_bytes())
    assert inv.prepaid_amount > 0
    assert any(a.charge for line in inv.lines for a in line.allowances_charges) or any(
        a.charge for a in inv.allowances_charges)
    assert inv.preceding_invoice is not None and inv.preceding_invoice.number


def test_example1_inconsistent_return_line_is_detected():
    # Line 20 states -109.98 as net amount for 6 x 18.33: the document totals use the
    # stated amount (EN16931 BR-CO-10), and the model flags the line itself.
    inv = parse_invoice_xml((STANDARDS_DIR / "examples/cii/CII_example1.xml").read_bytes())
    flagged = [p for p in inv.problems() if p.rule == "MODEL-BT-131"]
    assert [p.field for p in flagged] == ["lines[19].line_total"]
    assert "-109.98" in flagged[0].message and "109.98" in flagged[0].message
