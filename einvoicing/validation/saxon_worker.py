"""The Saxon helper process, seen from the parent (see :mod:`einvoicing.validation.saxon`
for when it is used; its other end is :mod:`einvoicing.validation.saxon_worker_main`).

:func:`run` and :func:`warm_up` send requests to ONE long-lived helper per process,
started with ``python -m einvoicing.validation.saxon_worker_main`` (a fresh
interpreter: nothing inherited from this process's Saxon, and the package is
found through PYTHONPATH, so it works when the package is loaded as
``odoo.addons.<addon>.einvoicing``). Requests are serialised by a lock; a dead
helper is replaced on the next request; a forked child starts its own.

Idle stop: the helper starts on the first request and a daemon thread of this process
stops it once it has been idle for :func:`idle_seconds` (environment variable
``L10N_FR_PA_SAXON_IDLE_SECONDS``, default 300; 0 = never; :func:`set_idle_seconds`
overrides it, e.g. from the Odoo layer), so that a server with many workers does not
keep one JVM-sized helper per worker forever. The stop takes the request lock and
re-checks the idle time under it: a request either runs before (and the helper stays)
or after the stop (and starts a new helper); none is lost.

Protocol: each message is a 4-byte big-endian length then UTF-8 JSON.
Requests: ``{"op": "run", "xml": str, "paths": [str]}`` ->
``{"ok": true, "results": [{"svrl": str} | {"error": str, "code": str}]}``;
``{"op": "warm_up", "paths": [str]}`` -> ``{"ok": true}``. A request that fails as
a whole answers ``{"ok": false, "error": str, "code": str}``.
"""

import contextlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .saxon_thread import SchematronError

_HEADER = struct.Struct(">I")
# The core's directory (``einvoicing``): its parent goes on the helper's PYTHONPATH.
_CORE_DIR = Path(__file__).resolve().parents[1]
HELPER_MODULE = f"{_CORE_DIR.name}.validation.saxon_worker_main"
# Held by this process only (a forked child gets fresh state, see _forget_after_fork).
_client = {"lock": threading.Lock(), "pid": None, "proc": None, "stderr": None,
           "waiting": False, "last_used": 0.0, "reaper": None, "wake": threading.Event()}
IDLE_ENV = "L10N_FR_PA_SAXON_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 300.0
_config = {"idle_seconds": None}  # None: from the environment
_MAX_NAP = 60.0  # the idle reaper re-reads the setting at least this often
# Helpers inherited through fork: kept referenced, never used nor closed by the child.
_inherited = []


def write_frame(stream, message):
    data = json.dumps(message).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream):
    """The next message of ``stream``, or None at end of stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return json.loads(data.decode("utf-8"))


def run(xml_text, paths):
    """Same contract as :func:`einvoicing.validation.saxon.run_stylesheets`, in the helper."""
    paths = [Path(p) for p in paths]
    reply = _request({"op": "run", "xml": xml_text, "paths": [str(p) for p in paths]})
    return [
        result["svrl"] if "svrl" in result
        else SchematronError(result["error"], code=result["code"], path=str(path))
        for path, result in zip(paths, reply["results"], strict=True)
    ]


def warm_up(paths):
    """Start the helper and compile ``paths`` in it."""
    _request({"op": "warm_up", "paths": [str(p) for p in paths]})


def helper_pid():
    """Pid of this process's running helper, or None (for diagnostics and tests)."""
    proc = _client["proc"] if _client["pid"] == os.getpid() else None
    return proc.pid if proc is not None and proc.poll() is None else None


def idle_seconds():
    """Seconds of inactivity after which the helper is stopped (0: never)."""
    value = _config["idle_seconds"]
    if value is None:
        raw = os.environ.get(IDLE_ENV, "").strip()
        try:
            value = float(raw) if raw else DEFAULT_IDLE_SECONDS
        except ValueError:
            value = DEFAULT_IDLE_SECONDS
    return max(0.0, value)


def set_idle_seconds(seconds):
    """Override the idle delay for this process (None: back to the environment); a
    sleeping idle watcher wakes up to apply it at once."""
    _config["idle_seconds"] = None if seconds is None else max(0.0, float(seconds))
    _client["wake"].set()


def _request(message):
    with _client["lock"]:
        proc = _running_helper()
        _client["waiting"] = True
        try:
            write_frame(proc.stdin, message)
            reply = read_frame(proc.stdout)
        except (OSError, ValueError):  # broken pipe, closed file, garbled frame
            reply = None
        except BaseException:  # interrupted mid-exchange: its answer would go to the next call
            proc.kill()
            raise
        finally:
            _client["waiting"] = False
            _client["last_used"] = time.monotonic()
        _ensure_reaper()
        if reply is None:
            raise _helper_died(proc)
    if not reply["ok"]:
        raise SchematronError(reply["error"], code=reply["code"])
    return reply


def _running_helper():
    proc = _client["proc"]
    if _client["pid"] != os.getpid() or proc is None or proc.poll() is not None:
        _stop(proc)
        _client.update(pid=os.getpid(), proc=_start())
    return _client["proc"]


def _ensure_reaper():
    """Start this process's idle reaper when a helper runs and idle stop is on (lock held)."""
    reaper = _client["reaper"]
    if idle_seconds() and _client["proc"] is not None and (
            reaper is None or not reaper.is_alive()):
        _client["reaper"] = threading.Thread(
            target=_reap_when_idle, args=(_client["lock"],), name="saxon-idle-stop",
            daemon=True)
        _client["reaper"].start()


def _reap_when_idle(lock):
    """Daemon thread: stop the helper once idle; ends with it (restarted by the next use)."""
    while True:
        with lock:
            if lock is not _client["lock"]:  # forked child: the parent's thread is not here
                return
            nap = _idle_nap()
            if nap is None:
                _client["reaper"] = None
                return
            wake = _client["wake"]
            wake.clear()
        wake.wait(nap)  # woken early by set_idle_seconds


def _idle_nap():
    """Under the lock: stop an idle helper (None: nothing left to watch) or the time to wait."""
    proc, delay = _client["proc"], idle_seconds()
    if proc is None or not delay or _client["pid"] != os.getpid():
        return None
    remaining = _client["last_used"] + delay - time.monotonic()
    if remaining > 0 and proc.poll() is None:
        return min(remaining, _MAX_NAP)
    _stop(proc)  # EOF on its stdin: the helper exits by itself
    _client["proc"] = None
    return None


def _start():
    root = str(_CORE_DIR.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    _client["stderr"] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the helper
    try:
        return subprocess.Popen(
            [sys.executable, "-m", HELPER_MODULE],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=_client["stderr"],
            cwd=root, env=env)
    except OSError as exc:
        raise SchematronError(
            f"Cannot start the Saxon helper process ({sys.executable}): {exc}.",
            code="saxon_helper_failed") from exc


def _stop(proc):
    """Reap a helper of this process that died (or close the pipes of a live one)."""
    if proc is None or _client["pid"] != os.getpid():
        return
    for stream in (proc.stdin, proc.stdout, _client["stderr"]):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _helper_died(proc):
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # answered garbage but still alive: replace it
        proc.kill()
        code = proc.wait()
    message = (f"The Saxon helper process (pid {proc.pid}) stopped with exit code {code} "
               "before answering")
    detail = _stderr_tail()
    message += f": {detail}" if detail else "."
    hard = _hard_address_space_limit()
    if hard is not None:
        message += (
            f" SaxonC's GraalVM reserves about 32 GB of virtual address space, and the hard "
            f"address-space limit of this process is {hard / 2**30:.1f} GB (RLIMIT_AS): "
            "raise or remove that hard limit (ulimit -v, systemd LimitAS=).")
    else:
        message += " A new helper is started on the next validation."
    return SchematronError(message, code="saxon_helper_died", exit_code=code)


def _stderr_tail(size=1500):
    stream = _client["stderr"]
    try:
        stream.seek(0, os.SEEK_END)
        stream.seek(max(0, stream.tell() - size))
        lines = stream.read().decode("utf-8", "replace").split("\n")
    except (OSError, ValueError, AttributeError):
        return ""
    text = " / ".join(line.strip() for line in lines if line.strip())
    return text if not text or text.endswith(".") else text + "."


def _hard_address_space_limit():
    try:
        import resource
    except ImportError:  # not a Unix system
        return None
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return None if hard == resource.RLIM_INFINITY else hard


def _forget_after_fork():
    """In a forked child: never touch the parent's helper (its pipes, its lock)."""
    _inherited.append(dict(_client))
    _client.update(lock=threading.Lock(), pid=None, proc=None, stderr=None, waiting=False,
                   last_used=0.0, reaper=None, wake=threading.Event())


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
