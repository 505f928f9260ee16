"""Run compiled schematrons (XSLT 2/3) with saxonche, safely from any thread.

Why a dedicated worker thread: SaxonC runs on a GraalVM native isolate that is
bound to the thread that created it. Calling it from another thread, or from
a process forked after it was created, aborts the whole process ("Failed to
enter the specified IsolateThread context", akretion/factur-x#77,
akretion/fr-einvoicing#9) - fatal inside a threaded Odoo server or its cron
thread. So every Saxon object of this process (the one ``PySaxonProcessor``,
its XSLT processor and the compiled stylesheets) is created AND used only on
one long-lived thread owned by :mod:`einvoicing.validation.saxon_thread`. Callers
from any thread hand it a job and wait for the result; the processor is never
released (releasing and re-creating it in the same process is another known crash).

When Saxon cannot run in this process, the jobs go to ONE long-lived helper
process instead (:mod:`einvoicing.validation.saxon_worker` talks to it through
pipes, length-prefixed JSON; the helper, ``python -m
einvoicing.validation.saxon_worker_main``, uses the thread mode above). That happens
in two cases, decided at the first use in each process
(:func:`~einvoicing.validation.saxon_thread.uses_helper`):

- the address space is limited (finite soft RLIMIT_AS): GraalVM reserves about
  32 GB of virtual address space when its isolate starts, so under Odoo's
  ``limit_memory_hard`` (2.5 GB soft RLIMIT_AS, threaded and prefork) it fails and
  KILLS the process. The helper raises its own soft limit to the hard one before
  loading Saxon (no privilege needed); if the hard limit is too small, its death
  becomes a :class:`SchematronError` here. (It also keeps Saxon's 32 GB out of the
  virtual size Odoo's ``limit_memory_soft`` checks in prefork workers.)
- after a ``fork()`` (Odoo prefork workers, multiprocessing "fork") of a parent
  that started Saxon: the inherited runtime is unusable (tested: the child aborts
  with a GraalVM fatal error). A child of a parent that never started Saxon just
  starts its own thread; a forked child never reuses its parent's helper.

The helper is started by module path, not by pickling (inside Odoo this module is
``odoo.addons.<addon>.einvoicing.validation.saxon``, which a fresh interpreter cannot
import), and restarted on the next call when it died. Each stylesheet is
compiled once per process, on first use (~0.2-1 s), then reused (a run costs a
few ms).

The helper starts on first use and stops after an idle period
(:func:`~einvoicing.validation.saxon_worker.idle_seconds`: environment variable
``L10N_FR_PA_SAXON_IDLE_SECONDS``, default 300 s, 0 = never; :func:`set_idle_seconds`
overrides it); the next validation starts a new one (and recompiles its stylesheets).
The in-process thread is never stopped: releasing Saxon in a process is a crash.

We keep the in-process thread when the address space is unlimited (faster: no
JSON round trip), and never use a subprocess per call: that would add the
isolate start-up (~0.5 s + recompiling) to every validation.
"""

from .saxon_thread import SchematronError, compile_in_thread, run_in_thread, uses_helper
from .saxon_worker import idle_seconds, set_idle_seconds
from .saxon_worker import run as run_in_helper
from .saxon_worker import warm_up as compile_in_helper

__all__ = ["SchematronError", "idle_seconds", "run_stylesheets", "set_idle_seconds",
           "warm_up"]


def run_stylesheets(xml_text, paths):
    """Run each compiled stylesheet in ``paths`` on ``xml_text`` (str).

    Returns, per path, the SVRL output (str) or the :class:`SchematronError` of a
    run that failed (data the rules cannot evaluate, such as "12,50" as amount).

    The document is parsed once by Saxon and shared by all stylesheets.
    ``xml_text`` must already have passed :func:`einvoicing.xmlutil.parse_xml`
    (no DOCTYPE, no entities): Saxon's own parser is never given raw input.
    """
    if uses_helper():
        return run_in_helper(xml_text, paths)
    return run_in_thread(xml_text, paths)


def warm_up(paths):
    """Compile ``paths`` now (e.g. at server start or in a benchmark)."""
    if uses_helper():
        compile_in_helper(paths)
    else:
        compile_in_thread(paths)
