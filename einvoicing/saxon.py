"""Run compiled schematrons (XSLT 2/3) with saxonche, safely from any thread.

Why a dedicated worker thread: SaxonC runs on a GraalVM native isolate that is
bound to the thread that created it. Calling it from another thread, or from
a process forked after it was created, aborts the whole process ("Failed to
enter the specified IsolateThread context", akretion/factur-x#77,
akretion/fr-einvoicing#9) - fatal inside a threaded Odoo server or its cron
thread. So every Saxon object of this process (the one ``PySaxonProcessor``,
its XSLT processor and the compiled stylesheets) is created AND used only on
one long-lived thread owned by this module. Callers from any thread hand it a
job and wait for the result; the processor is never released (releasing and
re-creating it in the same process is another known crash).

When Saxon cannot run in this process, the jobs go to ONE long-lived helper
process instead (:mod:`einvoicing.saxon_worker`: ``python -m
einvoicing.saxon_worker`` with pipes, length-prefixed JSON; it uses the thread
mode above). That happens in two cases, decided at the first use in each process:

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
``odoo.addons.<addon>.einvoicing.saxon``, which a fresh interpreter cannot
import), and restarted on the next call when it died. Each stylesheet is
compiled once per process, on first use (~0.2-1 s), then reused (a run costs a
few ms).

We keep the in-process thread when the address space is unlimited (faster: no
JSON round trip), and never use a subprocess per call: that would add the
isolate start-up (~0.5 s + recompiling) to every validation.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from .errors import EInvoicingError

_lock = threading.Lock()
_state = {"pid": None, "executor": None, "saxon_pid": None, "remote": False,
          "in_process": False}
# Only ever touched from the worker thread:
_worker = {"processor": None, "xslt": None, "compiled": {}}
# Saxon objects inherited from a parent process: kept referenced so that they are
# never deallocated (deallocating them would call into the parent's isolate).
_inherited = []


class SchematronError(EInvoicingError):
    """A stylesheet could not be compiled or run (installation problem, not user input)."""


def _executor():
    with _lock:
        if _state["pid"] != os.getpid():
            # New process (first use, or forked child): never reuse the parent's Saxon.
            inherited = _state["saxon_pid"] not in (None, os.getpid())
            remote = not _state["in_process"] and (inherited or _address_space_limited())
            _state["executor"] = None if remote else ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="saxon")
            _state["remote"] = remote
            _state["pid"] = os.getpid()
            _inherited.append(dict(_worker))
            _worker.update(processor=None, xslt=None, compiled={})
        return _state["executor"]


def _address_space_limited():
    try:
        import resource
    except ImportError:  # not a Unix system: no RLIMIT_AS
        return False
    return resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY


def force_in_process():
    """Always use the in-process thread (called by the helper process itself)."""
    _state["in_process"] = True


def _processor():
    if _worker["processor"] is None:
        from saxonche import PySaxonProcessor

        _worker["processor"] = PySaxonProcessor(license=False)
        _state["saxon_pid"] = os.getpid()
        _worker["xslt"] = _worker["processor"].new_xslt30_processor()
    return _worker["processor"]


def _compiled(path):
    executable = _worker["compiled"].get(path)
    if executable is None:
        _processor()
        try:
            executable = _worker["xslt"].compile_stylesheet(stylesheet_file=str(path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise SchematronError(
                f"Cannot compile the stylesheet {path}: {exc}. The official rule files "
                "may be missing or damaged; reinstall the package.",
                code="stylesheet_compile_failed",
                path=str(path),
            ) from exc
        if executable is None:
            raise SchematronError(
                f"Cannot compile the stylesheet {path} (saxonche returned nothing).",
                code="stylesheet_compile_failed",
                path=str(path),
            )
        _worker["compiled"][path] = executable
    return executable


def _transform_all(xml_text, paths):
    processor = _processor()
    try:
        node = processor.parse_xml(xml_text=xml_text)
    except Exception as exc:
        raise SchematronError(
            f"Saxon could not read the document: {exc}", code="saxon_parse_failed"
        ) from exc
    results = []
    for path in paths:
        executable = _compiled(path)
        try:
            results.append(executable.transform_to_string(xdm_node=node))
        except Exception as exc:  # e.g. a non-numeric amount the XSD already rejects
            results.append(SchematronError(
                f"The rules of {path.name} could not be evaluated on this document: "
                f"{str(exc).strip()}", code="schematron_run_failed", path=str(path)))
    return results


def run_stylesheets(xml_text, paths):
    """Run each compiled stylesheet in ``paths`` on ``xml_text`` (str).

    Returns, per path, the SVRL output (str) or the :class:`SchematronError` of a
    run that failed (data the rules cannot evaluate, such as "12,50" as amount).

    The document is parsed once by Saxon and shared by all stylesheets.
    ``xml_text`` must already have passed :func:`einvoicing.xmlutil.parse_xml`
    (no DOCTYPE, no entities): Saxon's own parser is never given raw input.
    """
    executor = _executor()
    if _state["remote"]:
        from . import saxon_worker

        return saxon_worker.run(xml_text, paths)
    return executor.submit(_transform_all, xml_text, tuple(paths)).result()


def warm_up(paths):
    """Compile ``paths`` now (e.g. at server start or in a benchmark)."""

    def _compile_all():
        for path in paths:
            _compiled(path)

    executor = _executor()
    if _state["remote"]:
        from . import saxon_worker

        saxon_worker.warm_up(paths)
    else:
        executor.submit(_compile_all).result()
