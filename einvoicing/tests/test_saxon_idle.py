"""The Saxon helper process starts on first use and stops after an idle period.

No timed assertion: a tiny idle delay, then polling with a generous bound. The
helper is driven directly (:mod:`einvoicing.validation.saxon_worker`), whatever
mode this pytest process uses itself; the stylesheet is a tiny XSLT so that each
helper start stays cheap.
"""

import os
import threading
import time

import pytest

from einvoicing.validation import saxon_worker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX pipes and processes")

STYLESHEET = """<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:template match="/">total=<xsl:value-of select="sum(//n)"/></xsl:template>
</xsl:stylesheet>
"""
BOUND = 120  # seconds: generous, the machine is shared and loaded


@pytest.fixture
def helper(tmp_path):
    """(run(values) -> text, stylesheet path); stops the helper and resets the config after."""
    path = tmp_path / "sum.xsl"
    path.write_text(STYLESHEET)

    def run(values):
        xml = "<r>" + "".join(f"<n>{v}</n>" for v in values) + "</r>"
        (result,) = saxon_worker.run(xml, [path])
        return result

    _stop_now()
    yield run
    _stop_now()
    saxon_worker.set_idle_seconds(None)


def _stop_now():
    with saxon_worker._client["lock"]:
        proc = saxon_worker._client["proc"]
        if proc is not None and saxon_worker._client["pid"] == os.getpid():
            saxon_worker._stop(proc)
            saxon_worker._client["proc"] = None


def _wait_until(predicate):
    deadline = time.monotonic() + BOUND
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached within the bound"
        time.sleep(0.05)


def _gone(proc):
    return proc.poll() is not None


def test_idle_setting_from_environment(monkeypatch):
    saxon_worker.set_idle_seconds(None)
    monkeypatch.delenv(saxon_worker.IDLE_ENV, raising=False)
    assert saxon_worker.idle_seconds() == saxon_worker.DEFAULT_IDLE_SECONDS == 300
    monkeypatch.setenv(saxon_worker.IDLE_ENV, "12.5")
    assert saxon_worker.idle_seconds() == 12.5
    monkeypatch.setenv(saxon_worker.IDLE_ENV, "0")
    assert saxon_worker.idle_seconds() == 0
    monkeypatch.setenv(saxon_worker.IDLE_ENV, "soon")  # unreadable: the default
    assert saxon_worker.idle_seconds() == 300
    saxon_worker.set_idle_seconds(7)  # the host's setting wins over the environment
    assert saxon_worker.idle_seconds() == 7
    saxon_worker.set_idle_seconds(None)


def test_starts_on_first_use_stops_when_idle_restarts_on_next_use(helper):
    saxon_worker.set_idle_seconds(0.2)
    assert saxon_worker.helper_pid() is None  # nothing started before the first use
    assert helper([1, 2]) == "total=3"
    first = saxon_worker._client["proc"]
    assert saxon_worker.helper_pid() == first.pid
    _wait_until(lambda: _gone(first))
    _wait_until(lambda: saxon_worker.helper_pid() is None)
    assert first.returncode == 0  # stopped by EOF on its stdin, not killed
    assert helper([4, 5]) == "total=9"  # a new helper, stylesheet compiled again
    second = saxon_worker._client["proc"]
    assert second.pid != first.pid and second.poll() is None


def test_zero_disables_idle_stop(helper):
    saxon_worker.set_idle_seconds(0)  # wakes a watcher left by an earlier use: it ends
    _wait_until(lambda: saxon_worker._client["reaper"] is None)
    assert helper([1]) == "total=1"
    proc = saxon_worker._client["proc"]
    assert saxon_worker._client["reaper"] is None  # no thread watches the helper
    assert saxon_worker._idle_nap() is None  # and a watcher would leave it running
    assert proc.poll() is None
    assert helper([2]) == "total=2"
    assert saxon_worker._client["proc"] is proc  # the same helper served both


def test_shorter_delay_applies_to_a_sleeping_watcher(helper, monkeypatch):
    monkeypatch.setattr(saxon_worker, "_MAX_NAP", 3600.0)  # no periodic re-read to help
    saxon_worker.set_idle_seconds(3600)
    assert helper([1]) == "total=1"
    proc = saxon_worker._client["proc"]
    assert saxon_worker._client["reaper"] is not None  # asleep for an hour
    saxon_worker.set_idle_seconds(0.1)  # wakes it: the helper stops well before that
    _wait_until(lambda: _gone(proc))
    assert proc.returncode == 0


def test_request_in_flight_when_the_delay_expires_keeps_its_helper(helper, monkeypatch):
    saxon_worker.set_idle_seconds(0.2)
    assert helper([1]) == "total=1"
    proc = saxon_worker._client["proc"]
    slow_once = threading.Event()
    real_read = saxon_worker.read_frame

    def slow_read(stream):
        if not slow_once.is_set():
            slow_once.set()
            time.sleep(1.0)  # longer than the idle delay: the reaper wakes meanwhile
        return real_read(stream)

    monkeypatch.setattr(saxon_worker, "read_frame", slow_read)
    assert helper([2, 3]) == "total=5"
    assert slow_once.is_set()
    monkeypatch.setattr(saxon_worker, "read_frame", real_read)
    _wait_until(lambda: _gone(proc))  # stopped only once idle after that request
    assert proc.returncode == 0


def test_requests_arriving_during_the_stop_restart_the_helper(helper, monkeypatch):
    saxon_worker.set_idle_seconds(0.2)
    assert helper([1]) == "total=1"
    first = saxon_worker._client["proc"]
    stopping, real_stop, results = threading.Event(), saxon_worker._stop, {}

    def slow_stop(proc):
        if threading.current_thread().name == "saxon-idle-stop":
            stopping.set()
            time.sleep(0.5)  # callers pile up on the lock meanwhile
        real_stop(proc)

    monkeypatch.setattr(saxon_worker, "_stop", slow_stop)
    _wait_until(stopping.is_set)
    callers = [threading.Thread(target=lambda i=i: results.update({i: helper([i, 10])}))
               for i in range(4)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(BOUND)
    assert results == {i: f"total={i + 10}" for i in range(4)}
    assert first.poll() is not None
    assert saxon_worker.helper_pid() not in (None, first.pid)


def test_hammering_across_many_idle_stops_loses_nothing(helper, monkeypatch):
    saxon_worker.set_idle_seconds(0.05)
    starts, real_start = [], saxon_worker._start

    def counting_start():
        proc = real_start()
        starts.append(proc)
        return proc

    monkeypatch.setattr(saxon_worker, "_start", counting_start)
    results, errors = [], []

    def caller(index):
        for round_ in range(6):
            try:
                results.append((helper([index, round_]), f"total={index + round_}"))
            except Exception as exc:
                errors.append(exc)
            time.sleep(0.02 * (index + round_ % 3))  # let some idle delays expire

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BOUND)
    assert errors == []
    assert len(results) == 18 and all(got == want for got, want in results)
    assert starts  # helpers were started (and, with a 50 ms delay, usually several)
    assert all(proc.poll() is not None for proc in starts[:-1])  # none left behind
