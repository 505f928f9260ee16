"""CLI: python -m einvoicing ereporting build|validate|parse|period, and validate on flux 10."""

import json

from _ereporting_samples import sample

from einvoicing.cli import main


def _write(tmp_path, data, name="report.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_build_then_validate_then_parse(tmp_path, capsys):
    source = _write(tmp_path, sample("10.3"))
    out = tmp_path / "out.xml"
    assert main(["ereporting", "build", str(source), "-o", str(out)]) == 0
    assert "valid (AggregatedCustomerTransactionReport" in capsys.readouterr().err
    assert main(["ereporting", "validate", str(out)]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 0
    assert "kind ereporting" in capsys.readouterr().out
    assert main(["ereporting", "parse", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["transactions"][0]["category"] == "TLB1"


def test_build_invalid_report_exits_1_and_bad_json_exits_2(tmp_path, capsys):
    source = _write(tmp_path, sample("10.3", issuer_siren="ABC"))
    assert main(["ereporting", "build", str(source), "-o", str(tmp_path / "x.xml")]) == 1
    assert "G6.26" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["ereporting", "build", str(bad)]) == 2
    assert "is not JSON" in capsys.readouterr().err
    assert main(["ereporting", "build", str(_write(tmp_path, {"x": 1}))]) == 2
    assert "unknown field(s) x" in capsys.readouterr().err


def test_validate_json_output_and_unreadable(tmp_path, capsys):
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"<Other/>")
    assert main(["ereporting", "validate", "--json", str(junk)]) == 2
    assert json.loads(capsys.readouterr().out)[0]["code"] == "ereport_not_report"


def test_period(capsys):
    assert main(["ereporting", "period", "--regime", "normal_monthly", "2026-09-25"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "start": "2026-09-21", "end": "2026-09-30", "due": "2026-10-10"}
    assert main(["ereporting", "period", "--regime", "nope", "2026-09-25"]) == 2
