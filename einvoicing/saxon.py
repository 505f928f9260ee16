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

After a ``fork()`` (Odoo prefork workers, multiprocessing "fork"): if the
parent never started Saxon, the child simply starts its own worker thread. If
the parent DID start Saxon, the runtime inherited by the child is unusable
(tested: the child aborts with a GraalVM fatal error), so the child sends its
jobs to one helper process started with "spawn" (a fresh interpreter, which
itself uses the thread mode above), kept for the life of the child. Each stylesheet is compiled once
per process, on first use (~0.2-1 s), then reused (a run costs a few ms).

We chose a thread over a subprocess per call because a transform costs
milliseconds and a subprocess would add the JVM-isolate start-up (~0.5 s +
recompiling) to every validation.
"""

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from .errors import EInvoicingError

_lock = threading.Lock()
_state = {"pid": None, "executor": None, "saxon_pid": None, "remote": False}
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
            if inherited:
                _state["executor"] = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            else:
                _state["executor"] = ThreadPoolExecutor(max_workers=1,
                                                        thread_name_prefix="saxon")
            _state["remote"] = inherited
            _state["pid"] = os.getpid()
            _inherited.append(dict(_worker))
            _worker.update(processor=None, xslt=None, compiled={})
        return _state["executor"]


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
    if not _state["remote"]:
        return executor.submit(_transform_all, xml_text, tuple(paths)).result()
    results = executor.submit(_remote_transform_all, xml_text, tuple(paths)).result()
    return [SchematronError(r[1], code="schematron_run_failed") if isinstance(r, tuple) else r
            for r in results]


def _remote_transform_all(xml_text, paths):
    """Runs in the spawned helper process; errors travel back as plain tuples."""
    return [("error", str(r)) if isinstance(r, Exception) else r
            for r in run_stylesheets(xml_text, paths)]


def warm_up(paths):
    """Compile ``paths`` now (e.g. at server start or in a benchmark)."""

    def _compile_all():
        for path in paths:
            _compiled(path)

    if _executor() and not _state["remote"]:
        _executor().submit(_compile_all).result()
