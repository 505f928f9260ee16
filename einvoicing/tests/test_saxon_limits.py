"""Saxon under an address-space limit (Odoo's limit_memory_hard), after fork, helper deaths.

Each test runs a driver script in a fresh interpreter that sets RLIMIT_AS like
Odoo does (soft 2.5 GB, hard unchanged) before validating: in-process, SaxonC's
GraalVM would abort that whole interpreter. Expected reports come from this
(unlimited) pytest process, which uses the in-process thread mode.
"""

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from einvoicing.invoice.samples import sample_invoice
from einvoicing.syntax import to_cii
from einvoicing.validation import validate_cii
from einvoicing.validation.saxon_worker import read_frame, write_frame

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX rlimits and fork")

DRIVER = r'''
import json, os, resource, signal, sys, threading, time

scenario, good_path, bad_path = sys.argv[1:4]
hard = resource.getrlimit(resource.RLIMIT_AS)[1]
if scenario == "small-hard-limit":
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
else:  # what Odoo's set_limit_memory_hard() does with the default 2.5 GB
    resource.setrlimit(resource.RLIMIT_AS, (2560 << 20, hard))

from einvoicing import validation
from einvoicing.validation import saxon_worker
from einvoicing.validation.saxon import SchematronError

good, bad = open(good_path, "rb").read(), open(bad_path, "rb").read()


def check(xml):
    return validation.validate_cii(xml).to_dict()


def attempt(xml):
    try:
        return {"report": check(xml)}
    except SchematronError as exc:
        return {"code": exc.code, "error": str(exc)}


def same_results():
    return {"good": check(good), "bad": check(bad), "helper": saxon_worker.helper_pid()}


def fork():
    out = {"parent": check(good), "parent_helper": saxon_worker.helper_pid()}
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            answer = {"bad": check(bad), "helper": saxon_worker.helper_pid()}
            os.write(write_end, json.dumps(answer).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    out["child_exit"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    out["child"] = json.loads(data) if data else None
    out["parent_after"] = check(bad)
    out["parent_helper_after"] = saxon_worker.helper_pid()
    return out


def kill():
    saxon_worker.warm_up([])  # starts a helper (compiling nothing)
    first = saxon_worker.helper_pid()
    out = {}
    os.kill(first, signal.SIGKILL)  # between two calls
    saxon_worker._client["proc"].wait(timeout=30)
    out["after_kill"] = check(bad)
    second = saxon_worker.helper_pid()
    os.kill(second, signal.SIGSTOP)  # so that the next request is surely in flight
    box = {}
    call = threading.Thread(target=lambda: box.update(attempt(good)))
    call.start()
    deadline = time.monotonic() + 30
    while not saxon_worker._client["waiting"] and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(second, signal.SIGKILL)  # mid-way
    call.join(60)
    out["mid_way"] = box
    out["after_mid_way"] = check(bad)
    out["pids"] = [os.getpid(), first, second, saxon_worker.helper_pid()]
    return out


def small_hard_limit():
    return {"attempts": [attempt(good), attempt(bad)]}


print(json.dumps(globals()[scenario.replace("-", "_")]()))
'''


def _run_driver(tmp_path, scenario, good, bad):
    (tmp_path / "driver.py").write_text(DRIVER)
    (tmp_path / "good.xml").write_bytes(good)
    (tmp_path / "bad.xml").write_bytes(bad)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), scenario,
         str(tmp_path / "good.xml"), str(tmp_path / "bad.xml")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver, its forked child and helpers
        proc.communicate()
        pytest.fail(f"driver {scenario} hung")
    assert proc.returncode == 0, (proc.returncode, err.decode()[-3000:])
    return json.loads(out.decode().strip().splitlines()[-1])


@pytest.fixture(scope="module")
def invoices():
    good = to_cii(sample_invoice())
    root = etree.fromstring(good)
    total = root.xpath("//*[local-name()='GrandTotalAmount']")
    assert total, "test setup: no GrandTotalAmount"
    total[0].text = "999.99"
    bad = etree.tostring(root)
    expected = {"good": validate_cii(good).to_dict(), "bad": validate_cii(bad).to_dict()}
    assert expected["good"]["valid"] is True
    assert expected["bad"]["valid"] is False
    assert "BR-CO-15" in {f["rule_id"] for f in expected["bad"]["findings"]}
    return good, bad, expected


def test_limited_address_space_validates_like_unlimited(tmp_path, invoices):
    good, bad, expected = invoices
    out = _run_driver(tmp_path, "same-results", good, bad)
    assert out["good"] == expected["good"]
    assert out["bad"] == expected["bad"]
    assert out["helper"] is not None  # the helper process did the work


def test_forked_child_of_limited_process_uses_its_own_helper(tmp_path, invoices):
    good, bad, expected = invoices
    out = _run_driver(tmp_path, "fork", good, bad)
    assert out["parent"] == expected["good"]
    assert out["child_exit"] == 0
    assert out["child"]["bad"] == expected["bad"]
    assert out["child"]["helper"] not in (None, out["parent_helper"])
    # The parent's helper was not disturbed by the child.
    assert out["parent_after"] == expected["bad"]
    assert out["parent_helper_after"] == out["parent_helper"]


def test_killed_helper_is_replaced_on_next_call(tmp_path, invoices):
    good, bad, expected = invoices
    out = _run_driver(tmp_path, "kill", good, bad)
    assert out["after_kill"] == expected["bad"]
    assert out["mid_way"]["code"] == "saxon_helper_died", out["mid_way"]
    assert "exit code -9" in out["mid_way"]["error"]
    assert out["after_mid_way"] == expected["bad"]
    driver, *helpers = out["pids"]
    assert None not in helpers and len(set(out["pids"])) == 4


def test_too_small_hard_limit_is_an_error_not_a_crash(tmp_path, invoices):
    good, bad, _expected = invoices
    out = _run_driver(tmp_path, "small-hard-limit", good, bad)
    for attempt in out["attempts"]:
        assert attempt["code"] == "saxon_helper_died", attempt
        assert "hard address-space limit of this process is 4.0 GB" in attempt["error"]
        assert "RLIMIT_AS" in attempt["error"]


def test_frames_round_trip_and_truncation_reads_as_end_of_stream():
    stream = io.BytesIO()
    write_frame(stream, {"op": "run", "xml": "<a>é</a>", "paths": ["/x.xsl"]})
    write_frame(stream, {"ok": True})
    data = stream.getvalue()
    stream = io.BytesIO(data)
    assert read_frame(stream) == {"op": "run", "xml": "<a>é</a>", "paths": ["/x.xsl"]}
    assert read_frame(stream) == {"ok": True}
    assert read_frame(stream) is None
    assert read_frame(io.BytesIO(data[:-1])) == {"op": "run", "xml": "<a>é</a>",
                                                 "paths": ["/x.xsl"]}
    assert read_frame(io.BytesIO(data[:10])) is None  # a helper that died mid-answer
