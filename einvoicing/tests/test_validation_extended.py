"""EXTENDED-CTC-FR and Factur-X EXTENDED invoices get their own rules (France_RFE V1.4.0.03)."""

import pytest

from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.syntax import to_cii
from einvoicing.validation import validate_cii

PROFILES = {
    "extended-ctc-fr": ("urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
                        "extended-ctc-fr:EXTENDED-CTC-FR-CII.xslt"),
    "extended": ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
                 "facturx:FACTUR-X_EXTENDED.xslt"),
}


def _as(profile, xml):
    return xml.replace(b"<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                       f"<ram:ID>{PROFILES[profile][0]}</ram:ID>".encode(), 1)


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("build", [sample_invoice, sample_credit_note])
def test_extended_samples_pass_their_own_rules(profile, build):
    report = validate_cii(_as(profile, to_cii(build())))
    assert report.profile == profile
    assert PROFILES[profile][1] in report.rule_sets
    assert "br-fr:BR-FR-Flux2-Schematron-CII.xslt" in report.rule_sets
    assert [f for f in report.findings if f.severity == "fatal"] == []


def test_extended_ctc_fr_rules_catch_errors():
    xml = _as("extended-ctc-fr", to_cii(sample_invoice()))
    broken = xml.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>999</ram:TypeCode>",
                         1)
    report = validate_cii(broken)
    assert any(f.source == "extended-ctc-fr" and f.severity == "fatal" for f in report.findings)
