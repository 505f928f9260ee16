"""CLI: validate / facturx build / parse, exit codes and output; server-safety of validation."""

import io
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from einvoicing.cli import main
from einvoicing.cli.validate import main as validate_main
from einvoicing.standards import STANDARDS_DIR
from einvoicing.validation import validate

DATA = Path(__file__).parent / "data"
EXAMPLE = STANDARDS_DIR / "examples/cii/CII_example3.xml"


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    for name in ("out.pdf", "out.xml"):
        assert main(["facturx", "build", str(DATA / "invoice_fr_b2b.json"),
                     "-o", str(folder / name)]) == 0
    return folder


def test_build_writes_valid_pdf_and_xml(built, capsys):
    code, out, _err = run(["validate", str(built / "out.pdf"), str(built / "out.xml")], capsys)
    assert code == 0, out
    assert "out.pdf: VALID (kind facturx-pdf, profile en16931" in out
    assert "out.xml: VALID (kind cii, profile en16931" in out


def test_invalid_file_exits_1_and_names_rules(capsys):
    code, out, _err = run(["validate", str(EXAMPLE)], capsys)
    assert code == 1
    assert "INVALID" in out
    assert "BR-FR-05_BT-22_PMT (br-fr) [BT-22 Invoice note]" in out


def test_unreadable_wins_exit_2_and_json(tmp_path, capsys):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01garbage")
    code, out, _err = run(["validate", "--json", str(EXAMPLE), str(junk),
                           str(tmp_path / "missing.xml")], capsys)
    assert code == 2
    data = json.loads(out)
    assert data["exit_code"] == 2
    first, second, third = data["files"]
    assert first["readable"] and first["valid"] is False and first["kind"] == "cii"
    assert any(f["rule_id"] == "BR-FR-08_BT-23" for f in first["findings"])
    assert second == {"filename": str(junk), "readable": False, "code": "unknown_file_type",
                      "error": second["error"]}
    assert third["code"] == "file_unreadable"


def test_fifty_megabyte_file_is_refused(tmp_path, capsys):
    big = tmp_path / "big.xml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, out, _err = run(["validate", str(big)], capsys)
    assert code == 2
    assert "over the limit" in out


def test_build_refuses_broken_invoice(tmp_path, capsys):
    data = json.loads((DATA / "invoice_fr_b2b.json").read_text())
    data["seller"]["siren"] = "123"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data))
    code, _out, err = run(["facturx", "build", str(source), "-o", str(tmp_path / "x.pdf")],
                          capsys)
    assert code == 2
    assert "123" in err
    assert not (tmp_path / "x.pdf").exists()


def test_build_rejects_bad_extension_and_bad_json(tmp_path, capsys):
    code, _out, err = run(["facturx", "build", str(DATA / "invoice_fr_b2b.json"),
                           "-o", str(tmp_path / "x.txt")], capsys)
    assert code == 2 and ".xml or .pdf" in err
    broken = tmp_path / "b.json"
    broken.write_text("{not json")
    code, _out, err = run(["facturx", "build", str(broken), "-o", str(tmp_path / "x.xml")],
                          capsys)
    assert code == 2 and "not valid JSON" in err


def test_parse_pdf_prints_the_invoice(built, capsys):
    code, out, _err = run(["parse", str(built / "out.pdf")], capsys)
    assert code == 0
    parsed = json.loads(out)
    source = json.loads((DATA / "invoice_fr_b2b.json").read_text())
    assert parsed["number"] == source["number"]
    assert parsed["seller"]["siren"] == source["seller"]["siren"]


def test_parse_refuses_plain_text(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    code, _out, err = run(["parse", str(path)], capsys)
    assert code == 2 and err.startswith("error:")


def test_validate_main_accepts_explicit_stream():
    class Args:
        files = [str(EXAMPLE)]
        json = False
        quiet = True

    out = io.StringIO()
    assert validate_main(Args, out=out) == 1
    assert "INFO" not in out.getvalue()


def _rule_ids(path):
    return sorted(f.rule_id for f in validate(Path(path).read_bytes()).findings)


def test_validation_from_many_threads_gives_same_results():
    expected = _rule_ids(EXAMPLE)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_rule_ids, [EXAMPLE] * 8))
    assert all(r == expected for r in results)
    assert expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_validation_in_forked_child_after_parent_used_saxon():
    """Odoo prefork workers fork after the parent may have used Saxon (akretion/factur-x#77).

    The child must neither crash nor hang: it hands Saxon work to a spawned helper."""
    expected = _rule_ids(EXAMPLE)  # the parent starts Saxon first
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        status = 1
        try:
            os.close(read_end)
            os.write(write_end, json.dumps(_rule_ids(EXAMPLE)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    deadline = time.monotonic() + 120
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung")
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read()
    assert os.WIFEXITED(done[1]) and os.WEXITSTATUS(done[1]) == 0, done
    assert json.loads(output) == expected


def test_parse_prints_computed_and_stated_totals(built, capsys):
    code, out, _err = run(["parse", str(built / "out.xml")], capsys)
    assert code == 0
    parsed = json.loads(out)
    assert parsed["totals"]["grand_total"] == parsed["stated_totals"]["grand_total"]
    assert parsed["totals"]["vat_breakdown"]
    assert parsed["differences"] == []


def test_parse_lists_differences_and_still_exits_0(built, tmp_path, capsys):
    xml = (built / "out.xml").read_text(encoding="utf-8")
    start = xml.index("<ram:GrandTotalAmount>") + len("<ram:GrandTotalAmount>")
    end = xml.index("<", start)
    broken = tmp_path / "broken.xml"
    broken.write_text(xml[:start] + "1.00" + xml[end:], encoding="utf-8")
    code, out, _err = run(["parse", str(broken)], capsys)
    assert code == 0
    parsed = json.loads(out)
    assert parsed["stated_totals"]["grand_total"] == "1.00"
    assert [d["term"] for d in parsed["differences"]] == ["BT-112"]
    assert parsed["differences"][0]["computed"] == parsed["totals"]["grand_total"]
