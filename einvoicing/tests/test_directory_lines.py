"""Choosing the directory line of a recipient: the most specific published line (SIRET +
routing code, SIRET, SIREN), whatever its status, so that the caller can refuse a
Disabled or Upcoming line rather than silently send elsewhere (the sandbox scenario of a
moving line is in test_afnor_sandbox.py)."""

from einvoicing.afnor.directory import choose_line

SIREN, SIRET = "123456782", "12345678200010"
GENERAL = {"addressingIdentifier": SIREN, "siren": SIREN, "directoryLineStatus": "Enabled"}
FACILITY = {"addressingIdentifier": f"{SIREN}_{SIRET}", "siren": SIREN, "siret": SIRET,
            "directoryLineStatus": "Enabled"}
SERVICE = {"addressingIdentifier": f"{SIREN}_{SIRET}_SERV1", "siren": SIREN, "siret": SIRET,
           "routingIdentifier": "SERV1", "directoryLineStatus": "Enabled"}


def test_most_specific_line_wins():
    lines = [GENERAL, FACILITY, SERVICE]
    assert choose_line(lines) is GENERAL
    assert choose_line(lines, siret=SIRET) is FACILITY
    assert choose_line(lines, siret=SIRET, routing_identifier="SERV1") is SERVICE
    assert choose_line(lines, siret="12345678200028") is GENERAL
    assert choose_line(lines, siret=SIRET, routing_identifier="OTHER") is FACILITY


def test_a_disabled_or_upcoming_specific_line_is_returned_to_be_refused():
    upcoming = {**FACILITY, "directoryLineStatus": "Upcoming"}
    assert choose_line([GENERAL, upcoming], siret=SIRET) is upcoming
    disabled = {**GENERAL, "directoryLineStatus": "Disabled"}
    assert choose_line([disabled], siret=SIRET) is disabled


def test_enabled_line_preferred_at_equal_specificity_and_none_without_lines():
    old = {**GENERAL, "addressingIdentifier": f"{SIREN}_OLD", "directoryLineStatus": "Disabled"}
    assert choose_line([old, GENERAL]) is GENERAL
    assert choose_line([]) is None
    assert choose_line([{"siren": SIREN}]) is None
