# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sandbox keeps a search's cost flat as simulated buyers pile up (found by tools/soak.py).

Every search runs the simulated buyers of the searching company. Buyers waiting for the
seller's 209 (the "suspend" scenario) used to cost four statements each per search, so a
soak of 1,000 invoices crawled. Statements are counted, never timed.
"""

from einvoicing.sandbox import simulator
from einvoicing.sandbox.store import Store

ORG = "ORG-VOLUME"


def _waiting_buyers(store, count):
    """``count`` simulations of the suspend scenario, played up to its wait for 209."""
    waiting = len(simulator.steps("suspend")) - 1
    with store.tx() as conn:
        for number in range(count):
            conn.execute("INSERT INTO simulations(invoice_flow_id, seller_org, scenario, "
                         "syncs, next_step) VALUES (?, ?, 'suspend', 5, ?)",
                         (f"flow-{number}", ORG, waiting))


def _statements_of_a_search(store):
    statements = []
    store._conn.set_trace_callback(statements.append)
    try:
        simulator.on_sync(store, ORG)
    finally:
        store._conn.set_trace_callback(None)
    return len(statements)


def test_buyers_waiting_for_209_cost_nothing_per_search(tmp_path):
    few, many = Store(tmp_path / "few"), Store(tmp_path / "many")
    try:
        _waiting_buyers(few, 2)
        _waiting_buyers(many, 60)
        assert _statements_of_a_search(many) == _statements_of_a_search(few)
        # still waiting: nothing was played or counted for them
        steps = {row["next_step"] for row in many.query("SELECT next_step FROM simulations")}
        assert steps == {len(simulator.steps("suspend")) - 1}
    finally:
        few.close()
        many.close()
