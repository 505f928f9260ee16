"""End to end: ``python -m einvoicing demo --out DIR`` (in process, one run)."""

import contextlib
import io

import pytest

from einvoicing.cli import main
from einvoicing.facturx import extract
from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.lifecycle.cdar import parse_cdar


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("demo-out")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["demo", "--out", str(out_dir)])
    return code, stdout.getvalue(), out_dir


def test_demo_succeeds_and_prints_the_table(demo):
    code, text, _out = demo
    assert code == 0, text
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Document"))
    assert "Platform id" in lines[start] and "Badge" in lines[start]
    rows = lines[start + 2:start + 4]
    invoice_row, credit_row = rows
    assert invoice_row.startswith(f"Invoice {sample_invoice().number} ")
    assert credit_row.startswith(f"Credit note {sample_credit_note().number} ")
    for row in rows:
        platform_id = row.split()[3 if row.startswith("Credit") else 2]
        assert f"sent: flow {platform_id}" in text
    assert "212 Encaissée" in invoice_row and invoice_row.rstrip().endswith("paid")
    assert " Ok " in invoice_row and " Ok " in credit_row
    assert "211 Paiement transmis" in credit_row and credit_row.rstrip().endswith("paid")


def test_demo_writes_the_factur_x_files(demo):
    _code, _text, out_dir = demo
    pdfs = sorted((out_dir / "invoices").glob("*.pdf"))
    numbers = [sample_invoice().number, sample_credit_note().number]
    assert sorted(p.stem for p in pdfs) == sorted(numbers)
    for pdf in pdfs:
        xml, _profile = extract(pdf.read_bytes())
        assert pdf.stem.encode() in xml


def test_demo_writes_every_lifecycle_message(demo):
    _code, _text, out_dir = demo
    events = [parse_cdar(p.read_bytes()) for p in sorted((out_dir / "cdar").glob("*.xml"))]
    by_number = {}
    for event in events:
        by_number.setdefault(event.invoice_number, set()).add(event.status_code)
    invoice, credit = sample_invoice().number, sample_credit_note().number
    platform_and_buyer = {200, 201, 202, 203, 204, 205, 211}
    assert by_number[invoice] >= platform_and_buyer | {212}
    assert by_number[credit] >= platform_and_buyer
    assert 212 not in by_number[credit]
