"""Run the official XSD + schematrons on CII XML for the invoice tests.

Uses :func:`einvoicing.validation.validate_cii` (the project's validator).
The stylesheets are compiled once per process by that module, so sharing
it session-wide keeps the suite fast.
"""

from einvoicing.validation import validate_cii


def findings(xml):
    """Every XSD error and schematron failed-assert (fatal or warning) as (rule, source, text)."""
    report = validate_cii(xml)
    return [(f.rule_id, f.source, f.message) for f in report.findings
            if f.severity in ("fatal", "warning")]


def rule_ids(xml):
    return {rule for rule, _source, _text in findings(xml)}
