"""The in-process Saxon engine: one long-lived thread owning every Saxon object.

See :mod:`einvoicing.validation.saxon` for why (GraalVM isolates are bound to their
thread and do not survive ``fork()``) and for when the helper process
(:mod:`einvoicing.validation.saxon_worker`) is used instead; :func:`uses_helper`
decides it, once per process.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from ..errors import EInvoicingError

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



def uses_helper():
    """Whether this process hands its jobs to the helper process (decided at first use)."""
    _executor()
    return _state["remote"]


def run_in_thread(xml_text, paths):
    """Run the stylesheets on this process's Saxon thread (see :func:`.saxon.run_stylesheets`)."""
    return _executor().submit(_transform_all, xml_text, tuple(paths)).result()


def compile_in_thread(paths):
    """Compile ``paths`` on this process's Saxon thread."""

    def _compile_all():
        for path in paths:
            _compiled(path)

    _executor().submit(_compile_all).result()
