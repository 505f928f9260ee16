"""Validation results: one :class:`Finding` per problem, one :class:`Report` per file.

Re-exported by :mod:`einvoicing.validation` (import them from there).
"""

from dataclasses import asdict, dataclass, field

SEVERITIES = ("fatal", "warning", "info")


@dataclass
class Finding:
    """One rule result.

    ``severity`` is ``"fatal"`` (blocks the document), ``"warning"`` or ``"info"``.
    ``source`` names the rule set: ``"xsd"``, ``"en16931"``, ``"facturx"``,
    ``"br-fr"``, ``"cdar-xsd"``, ``"br-fr-cdv"``, ``"pdf"`` or ``"input"``.
    """

    rule_id: str
    severity: str
    message: str
    location: str | None = None
    business_term: str | None = None
    source: str = "xsd"

    def to_dict(self):
        return asdict(self)

    def __str__(self):
        term = f" [{self.business_term}]" if self.business_term else ""
        where = f"\n      at {self.location}" if self.location else ""
        head = f"{self.severity.upper():7} {self.rule_id} ({self.source}){term}"
        return f"{head}: {self.message}{where}"


@dataclass
class Report:
    """What one file gave: its kind, profile, the rule sets run and the findings.

    ``kind`` is ``"facturx-pdf"``, ``"cii"``, ``"ubl"`` or ``"cdar"``.
    ``rule_sets`` lists what was actually checked (so that "valid" never
    claims more than was run).
    """

    kind: str
    profile: str | None = None
    findings: list = field(default_factory=list)
    rule_sets: list = field(default_factory=list)
    filename: str | None = None

    @property
    def errors(self):
        """Fatal findings (failed-asserts flagged fatal, XSD errors, unreadable parts)."""
        return [f for f in self.findings if f.severity == "fatal"]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self):
        """True when nothing fatal was found."""
        return not self.errors

    def to_dict(self):
        return {
            "filename": self.filename,
            "kind": self.kind,
            "profile": self.profile,
            "valid": self.valid,
            "rule_sets": list(self.rule_sets),
            "counts": {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES},
            "findings": [f.to_dict() for f in self.findings],
        }
