"""Offline validation with the official rules: XSD (lxml) + schematrons (saxonche).

- :mod:`.validator`: :func:`validate` (Factur-X PDF, CII, UBL or CDAR, detected) and
  :func:`validate_cii` / :func:`validate_ubl` / :func:`validate_cdar`;
- :mod:`.rulesets`: the official XSDs and compiled schematrons, SVRL -> findings
  (rule ids named with their business terms, :mod:`.business_terms`);
- :mod:`.findings`: :class:`Finding` and :class:`Report`;
- :mod:`.pdf_checks`: Factur-X / PDF/A-3 structure checks (pikepdf);
- :mod:`.saxon`: runs the schematrons with saxonche on one thread (:mod:`.saxon_thread`)
  or in one helper process (:mod:`.saxon_worker`, ``python -m
  einvoicing.validation.saxon_worker_main``).
"""

from ..xmlutil import UnreadableInput
from .findings import Finding, Report
from .validator import validate, validate_cdar, validate_cii, validate_ubl

__all__ = [
    "Finding",
    "Report",
    "UnreadableInput",
    "validate",
    "validate_cdar",
    "validate_cii",
    "validate_ubl",
]
