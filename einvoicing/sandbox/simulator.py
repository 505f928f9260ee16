"""The simulated recipient: a scenario per buyer, played as the seller synchronises.

A scenario is ``name`` or ``name:param``. Each step emits one buyer status once the
seller organisation has searched its flows (without a cursor: one "sync") at least
``after`` times since the invoice was made available (``after=0``: at once).

=============  =================================================  ==================
scenario       statuses (after n syncs)                           param
=============  =================================================  ==================
approve        204 (0), 205 (1)                                   -
partial        204 (0), 206 approving half the amount due (1)     reason code
               (MAPTTC / MNATTC characteristics)
dispute        204 (0), 207 (1) with a data-in-error block:       reason code
               the amount due (BT-115) invoiced and expected at 90 %
suspend        204 (0), 208 (1) asking for the purchase order     reason code
               reference (BT-13); 205 once the seller sent 209
               (the completed data)
refuse         210 (1)                                            reason code
pay            204 (0), 205 (1), 211 full amount due (n)          n >= 2, default 2
silent         nothing (the buyer never answers)                  -
=============  =================================================  ==================
"""

import logging

from ..codes import code_number
from ..errors import InputError
from ..lifecycle import LifecycleError, check_reason
from ..lifecycle.characteristics import Characteristic, data_error
from .statuses import DEFAULT_REASONS, amount_of, emit

AFTER_COMPLETED = "209"  # a step played once the seller has pushed 209 (completed)

_log = logging.getLogger(__name__)
SCENARIOS = ("approve", "partial", "dispute", "suspend", "refuse", "pay", "silent")
_REASONED = {"partial": 206, "dispute": 207, "suspend": 208, "refuse": 210}


def parse_scenario(text):
    """Check a scenario string; returns (name, param). Raises InputError."""
    if text is None:
        return None
    name, _, param = str(text).partition(":")
    if name not in SCENARIOS:
        raise InputError(f"Scenario {text!r} is unknown; use one of {', '.join(SCENARIOS)} "
                         "(optionally 'name:param', e.g. 'pay:3' or 'refuse:DOUBLON').",
                         code="sandbox_bad_scenario", scenario=text)
    if name in _REASONED and param:
        try:
            check_reason(_REASONED[name], param)
        except LifecycleError as exc:
            raise InputError(f"Scenario {text!r}: {exc}", code="sandbox_bad_scenario",
                             scenario=text) from exc
    elif name == "pay" and param and (code_number(param) or 0) < 2:
        raise InputError(f"Scenario {text!r}: 'pay:n' needs a whole number of syncs n >= 2 "
                         "(205 comes at sync 1, 211 at sync n).", code="sandbox_bad_scenario",
                         scenario=text)
    elif param and name not in _REASONED and name != "pay":
        raise InputError(f"Scenario {text!r}: {name!r} takes no parameter.",
                         code="sandbox_bad_scenario", scenario=text)
    return name, param or None


def steps(scenario):
    """[(after_syncs, status_code, reason_code, fraction_of_amount)] of a scenario."""
    name, param = parse_scenario(scenario)
    if name == "silent":
        return []
    if name == "approve":
        return [(0, 204, None, None), (1, 205, None, None)]
    if name == "pay":
        return [(0, 204, None, None), (1, 205, None, None), (int(param or 2), 211, None, 1)]
    code = _REASONED[name]
    reason = param or DEFAULT_REASONS[code]
    last = (1, code, reason, 0.5 if name == "partial" else None)
    if name == "suspend":
        return [(0, 204, None, None), last, (AFTER_COMPLETED, 205, None, None)]
    return [last] if name == "refuse" else [(0, 204, None, None), last]


def _due(conn, step, sim):
    after = step[0]
    if after == AFTER_COMPLETED:
        return conn.execute("SELECT 1 FROM flows WHERE invoice_flow_id = ? AND status_code = 209",
                            (sim["invoice_flow_id"],)).fetchone() is not None
    return after <= sim["syncs"]


def _characteristics(invoice, code):
    """What the simulated buyer says with 206 / 207 / 208."""
    if code == 208:
        return data_error("BT-13", "Numéro de bon de commande",
                          comment="Bon de commande manquant")
    if code not in (206, 207):
        return []
    total = amount_of(invoice)
    if code == 206:
        approved = amount_of(invoice, 0.5)
        return [Characteristic("MAPTTC", amount=approved.amount, currency=approved.currency),
                Characteristic("MNATTC", amount=total.amount - approved.amount,
                               currency=approved.currency)]
    return data_error("BT-115", str(amount_of(invoice, 0.9).amount),
                      invoiced=str(total.amount), currency=total.currency,
                      comment="Tarif du contrat")


def start(conn, store, invoice, scenario):
    """Begin simulating the buyer of a just made-available seller invoice row."""
    conn.execute("INSERT INTO simulations(invoice_flow_id, seller_org, scenario) "
                 "VALUES (?, ?, ?)", (invoice["flow_id"], invoice["org_id"], scenario))
    _play(conn, store, invoice["flow_id"])


def _play(conn, store, invoice_flow_id):
    sim = conn.execute("SELECT * FROM simulations WHERE invoice_flow_id = ?",
                       (invoice_flow_id,)).fetchone()
    plan = steps(sim["scenario"])
    invoice = conn.execute("SELECT * FROM flows WHERE flow_id = ?", (invoice_flow_id,)).fetchone()
    index = sim["next_step"]
    while index < len(plan) and _due(conn, plan[index], sim):
        _after, code, reason, fraction = plan[index]
        text = f"Simulated recipient (scenario {sim['scenario']})"
        amounts = [amount_of(invoice, fraction)] if fraction and code == 211 else []
        emit(conn, store, invoice, code, "buyer", reason_code=reason, amounts=amounts,
             reason_text=text, characteristics=_characteristics(invoice, code))
        index += 1
    conn.execute("UPDATE simulations SET next_step = ? WHERE invoice_flow_id = ?",
                 (index, invoice_flow_id))


def _completed(conn, org_id):
    """The invoice flows of ``org_id``'s simulations that have a 209 (one query)."""
    return {row[0] for row in conn.execute(
        "SELECT DISTINCT f.invoice_flow_id FROM flows f JOIN simulations s "
        "ON s.invoice_flow_id = f.invoice_flow_id WHERE s.seller_org = ? "
        "AND f.status_code = 209", (org_id,))}


def on_sync(store, org_id):
    """A search (sync) by ``org_id``: count it and play the due steps of its invoices."""
    with store.tx() as conn:
        conn.execute("INSERT INTO syncs(org_id, count) VALUES (?, 1) ON CONFLICT(org_id) "
                     "DO UPDATE SET count = count + 1", (org_id,))
        pending = conn.execute("SELECT invoice_flow_id, scenario, next_step FROM simulations "
                               "WHERE seller_org = ?", (org_id,)).fetchall()
        completed = _completed(conn, org_id)
        for sim in pending:
            plan = steps(sim["scenario"])
            if sim["next_step"] >= len(plan):
                continue
            if plan[sim["next_step"]][0] == AFTER_COMPLETED and \
                    sim["invoice_flow_id"] not in completed:
                continue  # waits for the seller's 209: nothing to play, nothing to count
            # One invoice the simulator cannot answer must not break the seller's sync.
            conn.execute("SAVEPOINT simulated_step")
            try:
                conn.execute("UPDATE simulations SET syncs = syncs + 1 "
                             "WHERE invoice_flow_id = ?", (sim["invoice_flow_id"],))
                _play(conn, store, sim["invoice_flow_id"])
            except Exception:
                conn.execute("ROLLBACK TO simulated_step")
                _log.exception("simulated recipient failed on flow %s", sim["invoice_flow_id"])
            conn.execute("RELEASE simulated_step")
