"""Fault injection: the next N API calls fail in a chosen way.

Kinds: ``503`` (Service Unavailable), ``429`` (Too Many Requests, ``Retry-After``
seconds given by ``retry_after``, default 1), ``timeout`` (sleep ``seconds``,
default 3, then process the call normally - the client has given up by then), and
``drop_after_accept`` (process the call, store what it sends, then close the
connection without answering), ``timeout_before_accept`` (sleep ``seconds``, then
close the connection without processing the call: nothing is stored) and
``token_revoked`` (the bearer token of the call is revoked first, so the call gets a
401 on a token that looked valid: the client must get a new one). ``path``
(optional) limits a fault to calls whose path contains it, ``method`` to one HTTP
method. Faults live in memory only.

Random mode (:meth:`Faults.randomize`): besides the armed faults, each API call gets a
fault with probability ``rate``, of a kind drawn from ``kinds`` (repeat a kind to
weight it), from a seeded generator (a soak run is repeatable as far as thread scheduling allows).
"""

import random
import threading
from dataclasses import dataclass, field

from ..errors import InputError

KINDS = ("503", "429", "timeout", "drop_after_accept", "timeout_before_accept",
         "token_revoked")


def _check(kind, count, retry_after, seconds):
    """The fault kind as a string, or InputError on a bad kind or option."""
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
    return kind


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
        self._random = None  # (rate, kinds, Random, options) in random mode

    def inject(self, kind, count=1, path=None, method=None, retry_after=1, seconds=3.0):
        kind = _check(kind, count, retry_after, seconds)
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
            return self._draw(method, path)

    def randomize(self, rate, kinds=KINDS, seed=None, retry_after=1, seconds=3.0):
        """Random mode: each API call faults with probability ``rate`` (0 turns it off)."""
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise InputError(f"Fault rate is {rate!r}; give a number in [0, 1].",
                             code="sandbox_bad_fault", field="rate")
        kinds = tuple(_check(kind, 1, retry_after, seconds) for kind in kinds)
        with self._lock:
            self._random = (rate, kinds, random.Random(seed),
                            {"retry_after": retry_after, "seconds": float(seconds)}) \
                if rate and kinds else None

    def _draw(self, method, path):
        """A random fault for this call (lock held), or None."""
        if self._random is None:
            return None
        rate, kinds, rng, options = self._random
        if rng.random() >= rate:
            return None
        fault = Fault(rng.choice(kinds), 1, **options)
        self.fired.append((fault.kind, method, path))
        return fault

    def counts(self):
        """{kind: number of faults fired}."""
        with self._lock:
            result = {}
            for kind, _method, _path in self.fired:
                result[kind] = result.get(kind, 0) + 1
            return result

    def clear(self):
        with self._lock:
            self._armed.clear()
            self._random = None

    def armed(self):
        with self._lock:
            return [{"kind": f.kind, "remaining": f.count, "path": f.path, "method": f.method}
                    for f in self._armed]
