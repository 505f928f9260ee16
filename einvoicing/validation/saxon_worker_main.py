"""The Saxon helper process itself: ``python -m einvoicing.validation.saxon_worker_main``.

Started by :mod:`einvoicing.validation.saxon_worker` (its parent side; see
:mod:`einvoicing.validation.saxon` for when). It raises its own soft RLIMIT_AS (and
RLIMIT_CPU) to the hard limit - allowed without privileges - BEFORE saxonche is
imported (:mod:`.saxon_thread` imports it on first use), then runs the requests in
the in-process thread mode (each stylesheet compiled once) until its stdin is closed
(the parent exited or stopped it). Protocol: see :mod:`.saxon_worker`.

Nothing imports this module: run as ``__main__``, it is never loaded twice.
"""

import os
import signal
import sys
from pathlib import Path

from . import saxon_thread
from .saxon_thread import SchematronError
from .saxon_worker import read_frame, write_frame


def _raise_soft_limits():
    import resource

    for limit in (resource.RLIMIT_AS, resource.RLIMIT_CPU):
        soft, hard = resource.getrlimit(limit)
        if soft != hard:
            resource.setrlimit(limit, (hard, hard))


def _handle(request):
    try:
        paths = [Path(p) for p in request["paths"]]
        if request["op"] == "warm_up":
            saxon_thread.compile_in_thread(paths)
            return {"ok": True}
        results = saxon_thread.run_in_thread(request["xml"], paths)
        return {"ok": True, "results": [
            {"error": str(r), "code": r.code} if isinstance(r, SchematronError) else {"svrl": r}
            for r in results]}
    except SchematronError as exc:
        return {"ok": False, "error": str(exc), "code": exc.code}
    except Exception as exc:  # a bug must not kill the helper: report it to the caller
        return {"ok": False, "error": f"The Saxon helper process failed: {exc!r}",
                "code": "saxon_helper_failed"}


def main():
    _raise_soft_limits()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent; we follow on EOF
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints (Python or native) must not corrupt the protocol
    saxon_thread.force_in_process()
    requests = sys.stdin.buffer
    while (request := read_frame(requests)) is not None:
        write_frame(answers, _handle(request))
    return 0


if __name__ == "__main__":
    sys.exit(main())
