"""``python -m einvoicing lifecycle`` and ``python -m einvoicing cdar build|parse``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cdar_judge import judge

from einvoicing.cli import main
from einvoicing.lifecycle import lifecycle_markdown

REPO = Path(__file__).resolve().parents[2]
BASE = ["cdar", "build", "--invoice-number", "F202500003", "--invoice-date", "2025-07-01",
        "--seller-siren", "100000009", "--buyer-siren", "200000008"]


def _run(capsysbinary, argv):
    code = main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def test_lifecycle_prints_the_catalogue_as_json(capsysbinary):
    code, out, _ = _run(capsysbinary, ["lifecycle"])
    data = json.loads(out)
    by_code = {s["code"]: s for s in data["statuses"]}
    assert code == 0 and set(range(200, 215)) <= set(by_code)
    refused = by_code[210]
    assert (refused["label_fr"], refused["label_en"]) == ("Refusée", "Refused")
    assert refused["emitters"] == ["buyer"] and refused["badge"] == "rejected"
    assert refused["mandatory"] is True and "DOUBLON" in refused["reasons"]
    assert by_code[212]["emitters"] == ["supplier"] and by_code[212]["badge"] == "paid"
    assert [a["status_code"] for a in data["actions"]["customer_invoice"]] == [212, 212, 209, 220]


def test_lifecycle_markdown_is_the_readme_fragment(capsysbinary):
    code, out, _ = _run(capsysbinary, ["lifecycle", "--markdown"])
    assert code == 0 and out.decode() == lifecycle_markdown()
    assert out.decode() == (REPO / "readme" / "LIFECYCLE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("extra, status, role", [
    (["--status", "204", "--recipient-address", "100000009_STATUTS"], 204, "buyer"),
    (["--status", "REFUSED", "--reason", "DUPLICATE_INVOICE", "--message", "déjà payée"],
     210, "buyer"),
    (["--status", "212", "--amount", "120", "--vat-rate", "20", "--amount", "105.50",
      "--vat-rate", "5.5", "--currency", "EUR"], 212, "supplier"),
    (["--status", "211", "--amount", "50", "--currency", "EUR", "--invoice-type-code", "381"],
     211, "supplier"),
    (["--status", "211", "--amount", "50", "--currency", "EUR"], 211, "buyer"),
    (["--status", "213", "--reason", "REJ_COH"], 213, "platform"),
])
def test_cdar_build_then_parse(tmp_path, capsysbinary, extra, status, role):
    code, xml, err = _run(capsysbinary, BASE + extra)
    assert code == 0, err
    assert judge(xml) == []
    if "--recipient-address" in extra:
        assert b'<ram:URIID schemeID="0225">100000009_STATUTS</ram:URIID>' in xml
    path = tmp_path / "cdv.xml"
    path.write_bytes(xml)
    code, out, _ = _run(capsysbinary, ["cdar", "parse", str(path)])
    event = json.loads(out)
    assert code == 0 and (event["status_code"], event["issuer_role"]) == (status, role)
    assert event["invoice_number"] == "F202500003" and event["invoice_date"] == "2025-07-01"


@pytest.mark.parametrize("extra, match", [
    (["--status", "210"], "requires a reason"),
    (["--status", "999"], "Lifecycle status '999' is unknown"),
    (["--status", "212", "--amount", "12,5", "--currency", "EUR", "--vat-rate", "20"],
     "not a number"),
    (["--status", "212", "--amount", "10", "--vat-rate", "20"], "--currency is required"),
    (["--status", "212", "--amount", "10", "--amount", "5", "--currency", "EUR",
      "--vat-rate", "20"], "one VAT rate per amount"),
    (["--status", "211", "--amount", "10", "--currency", "FRF"], "ISO 4217"),
    (["--status", "205", "--invoice-date", "2025-13-01"], "--invoice-date"),
    (["--status", "205", "--reason", "DOUBLON"], "not allowed for status 205"),
])
def test_cdar_build_invalid_input_exit_2_one_line(capsysbinary, extra, match):
    code, out, err = _run(capsysbinary, BASE + extra)
    assert code == 2 and out == b""
    assert err.startswith("error: ") and match in err and err.count("\n") == 1


def test_cdar_parse_unreadable_exit_2(tmp_path, capsysbinary):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<html/>")
    for path, match in ((bad, "root element"), (tmp_path / "missing.xml", "Cannot read")):
        code, out, err = _run(capsysbinary, ["cdar", "parse", str(path)])
        assert code == 2 and out == b"" and match in err and err.count("\n") == 1


def test_python_dash_m_entry_point(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "einvoicing", *BASE, "--status", "205", "--message-id", "M-1"],
        cwd=REPO, capture_output=True, check=False)
    assert build.returncode == 0, build.stderr
    (tmp_path / "m.xml").write_bytes(build.stdout)
    parsed = subprocess.run([sys.executable, "-m", "einvoicing", "cdar", "parse",
                             str(tmp_path / "m.xml")], cwd=REPO, capture_output=True, check=False)
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["message_id"] == "M-1"


@pytest.mark.parametrize("extra, types", [
    (["--status", "206", "--reason", "QTE_ERR", "--approved-amount", "800",
      "--approved-amount-ttc", "960", "--currency", "EUR"], ["MAP", "MAPTTC"]),
    (["--status", "207", "--reason", "TX_TVA_ERR", "--recipient-address", "100000009_STATUTS",
      "--error", "BT-146:9.50:line 3:invoiced 10.00:prix du contrat",
      "--requested-action-code", "NIN"], ["DIV", "DVA"]),
    (["--status", "209", "--completed", "BT-13:PO-2025-118"], ["MAJ"]),
    (["--status", "212", "--amount", "120", "--vat-rate", "20", "--currency", "EUR",
      "--characteristic", "RAP:80"], ["RAP"]),
])
def test_cdar_build_with_characteristics(tmp_path, capsysbinary, extra, types):
    code, out, err = _run(capsysbinary, BASE + extra)
    assert code == 0, err
    assert judge(out) == []
    path = tmp_path / "status.xml"
    path.write_bytes(out)
    code, out, _ = _run(capsysbinary, ["cdar", "parse", str(path)])
    assert [c["type_code"] for c in json.loads(out)["characteristics"]] == types


def test_cdar_build_characteristics_from_json(tmp_path, capsysbinary):
    path = tmp_path / "chars.json"
    path.write_text(json.dumps([{"type_code": "MNATTC", "amount": "40", "currency": "EUR"}]))
    code, out, err = _run(capsysbinary, BASE + ["--status", "206", "--reason", "QTE_ERR",
                                                "--characteristics", str(path)])
    assert code == 0, err and judge(out) == []
    code, _, err = _run(capsysbinary, BASE + ["--status", "207", "--reason", "TX_TVA_ERR",
                                              "--error", "BT-146"])
    assert code == 2 and "TERM:VALUE" in err
