"""The soak driver's checker (tools/soak_check.py): each anomaly kind is detected."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "tools" / "soak_check.py"
_SPEC = importlib.util.spec_from_file_location("soak_check", _PATH)
soak_check = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(soak_check)


@pytest.fixture
def clean():
    platform = {
        "invoices": [{"flow_id": "F1", "tracking_id": "T1", "number": "INV/1"},
                     {"flow_id": "F2", "tracking_id": "T2", "number": "INV/2"}],
        "lc": [{"flow_id": "L1", "message_id": "M1", "invoice_flow_id": "F1", "status": 200,
                "seq": 1, "at": "2026-09-15T10:00:00", "rank": 0},
               {"flow_id": "L2", "message_id": "M2", "invoice_flow_id": "F1", "status": 205,
                "seq": 3, "at": "2026-09-15T10:00:01", "rank": 5},
               {"flow_id": "L3", "message_id": "M3", "invoice_flow_id": "F2", "status": 210,
                "seq": 2, "at": "2026-09-15T10:00:00", "rank": 10}],
        "pushed": {"P1": 1},
    }
    odoo = {
        "moves": [{"id": 1, "name": "INV/1", "tracking_id": "T1", "flow_id": "F1",
                   "status": 205},
                  {"id": 2, "name": "INV/2", "tracking_id": "T2", "flow_id": "F2",
                   "status": 210}],
        "events": [{"message_id": "M1", "move_id": 1}, {"message_id": "M2", "move_id": 1},
                   {"message_id": "M3", "move_id": 2}],
        "pushes": {"P1": "done", "P2": "maybe"},
    }
    return platform, odoo


def kinds(platform, odoo):
    return soak_check.summary(soak_check.check(platform, odoo))


def test_clean_run_has_no_anomaly(clean):
    assert soak_check.check(*clean) == []


def test_doubled_event_is_an_anomaly(clean):
    platform, odoo = clean
    odoo["events"].append({"message_id": "M2", "move_id": 1})
    assert kinds(platform, odoo) == {"duplicate_event": 1}


def test_lost_and_unknown_events(clean):
    platform, odoo = clean
    odoo["events"] = [e for e in odoo["events"] if e["message_id"] != "M1"]
    odoo["events"].append({"message_id": "M9", "move_id": None})
    assert kinds(platform, odoo) == {"missing_event": 1, "unknown_event": 1,
                                     "unlinked_event": 1}


def test_doubled_and_lost_flows(clean):
    platform, odoo = clean
    platform["invoices"].append({"flow_id": "F3", "tracking_id": "T1", "number": "INV/1"})
    odoo["moves"].append({"id": 3, "name": "INV/3", "tracking_id": "T3", "flow_id": False,
                          "status": 0})
    odoo["moves"][1]["flow_id"] = "F9"
    assert kinds(platform, odoo) == {"duplicate_flow": 2, "flow_id_mismatch": 1,
                                     "lost_flow": 1}


def test_status_follows_the_platform_order(clean):
    platform, odoo = clean
    odoo["moves"][0]["status"] = 200
    assert kinds(platform, odoo) == {"status_mismatch": 1}


def test_same_second_follows_the_lifecycle_order(clean):
    platform, odoo = clean
    # the buyer's 211 (rank 11) stored after our 212 (rank 12) in the same second
    platform["lc"] += [
        {"flow_id": "L4", "message_id": "M4", "invoice_flow_id": "F1", "status": 212,
         "seq": 4, "at": "2026-09-15T10:00:02", "rank": 12},
        {"flow_id": "L5", "message_id": "M5", "invoice_flow_id": "F1", "status": 211,
         "seq": 5, "at": "2026-09-15T10:00:02", "rank": 11}]
    odoo["events"] += [{"message_id": "M4", "move_id": 1}, {"message_id": "M5", "move_id": 1}]
    odoo["moves"][0]["status"] = 212
    assert soak_check.check(platform, odoo) == []
    odoo["moves"][0]["status"] = 211
    assert kinds(platform, odoo) == {"status_mismatch": 1}


def test_pushes_once_each(clean):
    platform, odoo = clean
    platform["pushed"].update({"P1": 2, "P2": 1, "P3": 1})
    odoo["pushes"]["P4"] = "done"
    assert kinds(platform, odoo) == {"duplicate_push": 1, "lost_push": 1,
                                     "unexpected_push": 1}
