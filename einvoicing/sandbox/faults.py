"""Fault injection: the next N API calls fail in a chosen way.

Kinds: ``503`` (Service Unavailable), ``429`` (Too Many Requests, ``Retry-After``
seconds given by ``retry_after``, default 1), ``timeout`` (sleep ``seconds``,
default 3, then process the call normally - the client has given up by then), and
``drop_after_accept`` (process the call, store what it sends, then close the
connection without answering). ``path`` (optional) limits a fault to calls whose
path contains it, ``method`` to one HTTP method. Faults live in memory only.
"""

import threading
from dataclasses import dataclass, field

from ..errors import InputError

KINDS = ("503", "429", "timeout", "drop_after_accept")


@dataclass
class Fault:
    kind: str
    count: int
    path: str | None = None
    method: str | None = None
    retry_after: int = 1
    seconds: float = 3.0
    hits: list = field(default_factory=list)

    def applies(self, method, path):
        return ((self.path is None or self.path in path)
                and (self.method is None or self.method.upper() == method.upper()))


class Faults:
    """Thread-safe queue of armed faults, consumed by matching calls."""

    def __init__(self):
        self._lock = threading.Lock()
        self._armed = []
        self.fired = []  # (kind, method, path) of every fault that fired, for assertions

    def inject(self, kind, count=1, path=None, method=None, retry_after=1, seconds=3.0):
        kind = str(kind)
        if kind not in KINDS:
            raise InputError(f"Fault kind {kind!r} is unknown; use one of {', '.join(KINDS)}.",
                             code="sandbox_bad_fault", kind=kind)
        for name, value, low in (("count", count, 1), ("retry_after", retry_after, 0)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise InputError(f"Fault {name} is {value!r}; give a whole number >= {low}.",
                                 code="sandbox_bad_fault", field=name)
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not (
                0 < seconds <= 120):
            raise InputError(f"Fault seconds is {seconds!r}; give a number of seconds in "
                             "(0, 120].", code="sandbox_bad_fault", field="seconds")
        fault = Fault(kind, count, path, method, retry_after, float(seconds))
        with self._lock:
            self._armed.append(fault)
        return fault

    def take(self, method, path):
        """The fault that fires for this call (consuming one count), or None."""
        with self._lock:
            for fault in self._armed:
                if fault.applies(method, path):
                    fault.count -= 1
                    if fault.count == 0:
                        self._armed.remove(fault)
                    self.fired.append((fault.kind, method, path))
                    return fault
        return None

    def clear(self):
        with self._lock:
            self._armed.clear()

    def armed(self):
        with self._lock:
            return [{"kind": f.kind, "remaining": f.count, "path": f.path, "method": f.method}
                    for f in self._armed]
