# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Synchronisation against the sandbox: cron, idempotence, crash safety, the button, cost."""

import time
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import errors as pg_errors

from ..einvoicing.lifecycle.cdar import CdarError
from ..models import l10n_fr_pa_sync
from .common_sync import SyncCommon

SYNC_LOGGER = "odoo.addons.l10n_fr_einvoice_pa.models.l10n_fr_pa_sync"
PARSE = f"{SYNC_LOGGER}.parse_cdar"


@tagged("post_install", "-at_install")
class TestSync(SyncCommon):
    def _codes(self, move):
        return sorted(move.l10n_fr_pa_event_ids.mapped("code"))

    def test_cron_ingests_scenario_once(self):
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        self.run_cron()  # the buyer answers 204 at once, 205 after one more sync
        self.run_cron()
        codes = self._codes(move)
        self.assertIn(204, codes)
        self.assertIn(205, codes)
        on_platform = self.platform_events(move)
        self.assertEqual(set(move.l10n_fr_pa_event_ids.mapped("flow_id")), on_platform)
        self.assertTrue(self.connection.sync_updated_after)
        self.assertTrue(self.connection.last_auto_sync)
        before = self.Event.search_count([("company_id", "=", self.company.id)])
        self.run_cron()
        self.run_cron()
        # the scenario is over: nothing new, nothing twice
        self.assertEqual(self.Event.search_count([("company_id", "=", self.company.id)]), before)
        self.assertEqual(len(move.l10n_fr_pa_event_ids),
                         len(set(move.l10n_fr_pa_event_ids.mapped("platform_message_id"))))

    def test_repeated_duplicated_out_of_order(self):
        move = self.new_invoice()
        e204 = self.core_event(move, 204, minutes=0)
        e205 = self.core_event(move, 205, minutes=10)
        e212 = self.core_event(move, 212, minutes=20, amount="1000.00")
        # out of order and duplicated in one batch, then everything again reversed
        first = self.Event._ingest(self.connection, [e212, e204, e212, e205, e204])
        self.assertEqual(len(first["created"]), 3)
        self.assertEqual(first["duplicates"], 2)
        self.assertEqual(first["moves"], move)
        again = self.Event._ingest(self.connection, [e205, e204, e212])
        self.assertFalse(again["created"])
        self.assertEqual(again["duplicates"], 3)
        self.assertEqual(self._codes(move), [204, 205, 212])
        self.assertEqual(move.l10n_fr_pa_status_code, 212)  # latest business timestamp
        paid = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212)
        self.assertEqual(paid.amount, 1000.0)
        self.assertEqual(paid.currency_id.name, "EUR")

    def test_message_stored_meanwhile_by_another_transaction(self):
        # Soak finding: the cron, a button and a pushed status ingest the same message at
        # once; the other transaction's row is invisible here and the unique key refused
        # the whole batch (sync error, error dialog after a status was sent).
        move = self.new_invoice()
        e204 = self.core_event(move, 204, minutes=0)
        e205 = self.core_event(move, 205, minutes=10)
        self.Event._ingest(self.connection, [e204])
        with patch.object(type(self.Event), "_known_message_ids", lambda *args: set()):
            summary = self.Event._ingest(self.connection, [e204, e205])
        self.assertEqual(summary["created"].mapped("code"), [205])
        self.assertEqual(summary["duplicates"], 1)
        self.assertEqual(self._codes(move), [204, 205])
        self.assertEqual(move.l10n_fr_pa_status_code, 205)

    def test_concurrent_update_runs_again_without_error(self):
        # Soak finding: a sync meeting a concurrent update (the move written by a sending
        # or a button meanwhile) was recorded as a sync error "could not serialize
        # access" for the user, and waited for the next scheduled run.
        Sync = self.env["l10n_fr_pa.synchronizer"]
        Error = self.env["l10n_fr_pa.error"].sudo()
        failure = pg_errors.SerializationFailure("could not serialize access")
        with patch.object(type(Sync), "_sync_connection", side_effect=failure):
            result = Sync._sync_company_safely(self.connection, auto=True)
        self.assertTrue(result["more"], "the sync must run again")
        self.assertFalse(Error.search([("company_id", "=", self.company.id),
                                       ("kind", "=", "sync")]))

    def test_refused_credentials_stop_the_scan_and_lose_nothing(self):
        # Soak finding (seed 11): a download refused with HTTP 401 even after the token
        # was fetched again (revoked twice) was taken for an unreadable flow: skipped,
        # the cursor moved past it, the message never came. An access refusal is not
        # about the flow: the scan stops there and the next run asks again.
        first, later = self.new_invoice(), self.new_invoice()
        self.put_on_platform(first, "approve")
        time.sleep(1.1)  # the cursor's overlap (1 s) must not cover the first flows
        self.put_on_platform(later, "approve")
        # the first download: 401, token fetched again, 401 again
        self.sandbox.platform.inject_fault("token_revoked", count=2, method="GET")
        self.run_cron()
        self.sandbox.platform.clear_faults()
        self.assertTrue(self.env["l10n_fr_pa.error"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "sync")]),
            "the refusal is listed in the diagnostics")
        for _i in range(3):
            self.run_cron()
        for move in first | later:
            self.assertEqual(set(move.l10n_fr_pa_event_ids.mapped("flow_id")),
                             self.platform_events(move))

    def test_ambiguous_or_unknown_reference_stays_unlinked(self):
        move = self.new_invoice()
        stranger = self.core_event(move, 204)
        stranger.seller_siren = "732829320"  # another seller with the same number
        summary = self.Event._ingest(self.connection, [stranger])
        self.assertEqual(summary["unlinked"], 1)
        self.assertFalse(move.l10n_fr_pa_event_ids)

    def test_crash_mid_batch_loses_nothing(self):
        moves = self.new_invoice() | self.new_invoice()
        for move in moves:
            self.put_on_platform(move, "approve")
        real_parse = l10n_fr_pa_sync.parse_cdar
        calls = []

        def crash_after_one(data):
            calls.append(1)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return real_parse(data)

        cursor = self.connection.sync_updated_after
        with patch(PARSE, side_effect=crash_after_one), mute_logger(SYNC_LOGGER):
            self.run_cron()
        self.assertGreater(len(calls), 1, "the crash was not reached")
        self.assertFalse(moves.l10n_fr_pa_event_ids, "a rolled-back batch stored events")
        self.assertEqual(self.connection.sync_updated_after, cursor)
        error = self.env["l10n_fr_pa.error"].search([("company_id", "=", self.company.id)])
        self.assertIn("worker killed", error.message)
        self.run_cron()
        for move in moves:
            self.assertEqual(set(move.l10n_fr_pa_event_ids.mapped("flow_id")),
                             self.platform_events(move))
        self.assertFalse(self.env["l10n_fr_pa.error"].search(
            [("company_id", "=", self.company.id)]), "the next good run clears the error")

    def test_bad_event_listed_and_others_ingested(self):
        moves = self.new_invoice() | self.new_invoice()
        for move in moves:
            self.put_on_platform(move, "approve")
        real_parse = l10n_fr_pa_sync.parse_cdar
        bad = []

        def first_is_bad(data):
            if not bad:
                bad.append(1)
                raise CdarError("The CDAR is unreadable", code="cdar_test")
            return real_parse(data)

        with patch(PARSE, side_effect=first_is_bad):
            self.run_cron()
        errors = self.env["l10n_fr_pa.error"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors.flow_id)
        stored = self.Event.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(stored), sum(len(self.platform_events(m)) for m in moves) - 1)
        flow_id = errors.flow_id
        errors.action_retry()  # the fault is lifted: the flow is read, the error goes
        self.assertFalse(errors.exists())
        self.assertIn(flow_id, self.Event.search([]).mapped("flow_id"))

    # ------------------------------------------------------------------ the button
    def _message(self, move):
        return move.action_l10n_fr_pa_sync()["params"]["message"]

    def test_button_four_messages(self):
        this, other, second, third = (self.new_invoice() for _i in range(4))
        self.run_cron()
        self.assertEqual(self._message(this),
                         "Nothing was updated: the platform has no new event (no changes).")
        self.put_on_platform(this, "approve")
        self.assertEqual(self._message(this),
                         "This record was updated with the platform's new events.")
        self.drain()
        self.put_on_platform(other, "approve")
        self.assertEqual(self._message(this), f"Another record was updated: {other.name}. "
                                              "This record has no new event.")
        self.drain()
        self.put_on_platform(second, "approve")
        self.put_on_platform(third, "approve")
        self.assertEqual(self._message(this),
                         "2 other records were updated. This record has no new event.")
        self.drain()
        self.assertTrue(this.l10n_fr_pa_event_ids)
        self.assertEqual(self._message(this),
                         "Nothing was updated: the platform has no new event (no changes).")

    def drain(self):
        """Let the simulated buyer finish its scenario (statuses come over a few syncs)."""
        for _i in range(3):
            self.run_cron()

    def test_button_relinks_history(self):
        move = self.new_invoice()
        orphan = self.core_event(move, 204)
        orphan.invoice_number = "NOT-YET"
        self.Event._ingest(self.connection, [orphan])
        stored = self.Event.search([("platform_message_id", "=", orphan.message_id)])
        self.assertFalse(stored.move_id)
        stored.sudo().invoice_number = move.name  # e.g. the number was corrected since
        self.assertEqual(self._message(move),
                         "This record was updated with the platform's new events.")
        self.assertEqual(stored.move_id, move)

    def test_button_keeps_what_came_when_the_platform_stops(self):
        # Soak finding: the button raised a UserError when the platform stopped answering
        # part-way, which rolled back what it had stored; under steady faults no click
        # ever finished. Now it stores what came and says the platform stopped.
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        expected = self.platform_events(move)
        self.assertTrue(expected)
        # every download fails (503 and its retries) in the company-wide part and the re-run
        self.sandbox.platform.inject_fault("503", count=1000, method="GET")
        action = move.action_l10n_fr_pa_sync()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("stopped answering", action["params"]["message"])
        self.assertTrue(self.env["l10n_fr_pa.error"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "sync")]))
        self.sandbox.platform.clear_faults()
        self.assertEqual(self._message(move),
                         "This record was updated with the platform's new events.")
        self.assertLessEqual(expected, set(move.l10n_fr_pa_event_ids.mapped("flow_id")))

    def _pass_the_scan(self):
        """Move the company-wide cursor past every flow (as after failed downloads)."""
        self.connection.sudo().sync_updated_after = "2999-01-01T00:00:00+00:00"

    def _stored_flow_ids(self):
        return self.Event.search([("company_id", "=", self.company.id)]).mapped("flow_id")

    def test_button_rerun_bounded_per_click(self):
        # One click downloads at most RERUN_DOWNLOADS missing flows (one short
        # transaction, soak finding) and says more remain; the next clicks fetch the
        # rest, none twice.
        moves = self.new_invoice() | self.new_invoice() | self.new_invoice()
        for move in moves:
            self.put_on_platform(move, "approve")
        self._pass_the_scan()
        with patch.object(l10n_fr_pa_sync, "RERUN_DOWNLOADS", 2):
            first = moves[0].action_l10n_fr_pa_sync()["params"]
            self.assertEqual(first["type"], "warning")
            self.assertIn("more platform messages are still to be downloaded",
                          first["message"])
            self.assertEqual(len(self._stored_flow_ids()), 2)
            for _click in range(10):
                if moves[0].action_l10n_fr_pa_sync()["params"]["type"] != "warning":
                    break
        stored = self._stored_flow_ids()
        self.assertEqual(len(stored), len(set(stored)), "a flow stored twice")
        for move in moves:
            self.assertEqual(set(move.l10n_fr_pa_event_ids.mapped("flow_id")),
                             self.platform_events(move))

    def test_button_says_when_the_platform_refuses_our_access(self):
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        self._pass_the_scan()
        # the re-run's first download: 401, token fetched again, 401 again
        self.sandbox.platform.inject_fault("token_revoked", count=2, method="GET")
        params = move.action_l10n_fr_pa_sync()["params"]
        self.sandbox.platform.clear_faults()
        self.assertEqual(params["type"], "warning")
        self.assertIn("refused the credentials", params["message"])
        self.assertIn("What was received before is kept.", params["message"])
        self.assertEqual(self._message(move),
                         "This record was updated with the platform's new events.")
        self.assertEqual(set(move.l10n_fr_pa_event_ids.mapped("flow_id")),
                         self.platform_events(move))

    def test_button_rerun_leaves_flows_older_than_the_moves(self):
        # The re-run lists only flows updated since the moves were created (less a
        # margin): a company's whole history is not listed again on every click.
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        self.assertTrue(self.platform_events(move))
        self._pass_the_scan()
        self.env.cr.execute(
            "UPDATE account_move SET create_date = now() + interval '3 days' WHERE id = %s",
            [move.id])
        move.invalidate_recordset(["create_date"])
        self.assertEqual(self._message(move),
                         "Nothing was updated: the platform has no new event (no changes).")
        self.assertFalse(move.l10n_fr_pa_event_ids)

    def test_batch_refresh_gives_each_move_its_own_status(self):
        # Moves are written grouped by their new values: each must still get its own.
        approved, refused, other = (self.new_invoice() for _i in range(3))
        moves = approved | refused | other
        moves.write({"is_manually_modified": False})
        events = [self.core_event(approved, 204), self.core_event(approved, 205, minutes=1),
                  self.core_event(refused, 204), self.core_event(refused, 210, minutes=1),
                  self.core_event(other, 204)]
        self.Event._ingest(self.connection, events)
        self.assertEqual(moves.mapped("l10n_fr_pa_status_code"), [205, 210, 204])
        self.assertEqual(refused.l10n_fr_pa_badge, "rejected")
        self.assertEqual(approved.l10n_fr_pa_badge, "accepted")
        self.assertTrue(refused.l10n_fr_pa_error)
        self.assertFalse(approved.l10n_fr_pa_error)
        self.assertEqual(len(set(moves.mapped("l10n_fr_pa_last_sync"))), 1)
        # A platform status is not a manual modification of the invoice.
        self.assertFalse(any(moves.mapped("is_manually_modified")))

    # ------------------------------------------------------------------ cost
    def test_ingestion_query_count_constant(self):
        moves = self.new_invoice() | self.new_invoice()
        self.env.invalidate_all()

        def batch(size, offset):
            return [self.core_event(moves[i % 2], 204 + (i % 2), minutes=offset + i)
                    for i in range(size)]

        # Two batches of each size, interleaved: one CI run in several counted a single
        # extra query in one measure (17 vs 16), not reproduced since; the least of two
        # measures of the same size leaves out such a one-off, while a cost that grew
        # with the number of events would show in both measures of the large batches.
        sizes = (10, 60, 10, 60)
        batches = [batch(size, 100 * (n + 1)) for n, size in enumerate(sizes)]
        self.Event._ingest(self.connection, batch(2, 1000))  # warm-up: first-use lookups
        counts = [self._queries_of(lambda events=events: self.Event._ingest(
            self.connection, events)) for events in batches]
        self.assertEqual(len(moves.l10n_fr_pa_event_ids), 2 + sum(sizes))
        # The property that matters on every Odoo revision: one batch costs the same
        # number of queries whatever its size.
        small, large = min(counts[0::2]), min(counts[1::2])
        self.assertEqual(small, large, f"queries of batches of 10 vs 60 events: {counts}")
        # And a budget with room for Odoo's own revisions (16 on 18.0 of 2025-08).
        self.assertLessEqual(large, QUERY_BUDGET)

    def _queries_of(self, call):
        self.env.invalidate_all()
        self.env.flush_all()
        # As Odoo's assertQueryCount does: no random garbage collection (bus, ...)
        # adding a query to one measure and not the other.
        with patch("random.random", lambda: 1):
            before = self.cr.sql_log_count
            call()
            self.env.flush_all()
            return self.cr.sql_log_count - before


# Queries of one _ingest batch whatever its size (2 moves). Measured: 16 on Odoo
# 18.0 of 2025-08 (../shared/odoo-18.0) since the status refresh writes the moves
# grouped by values without journal-item sync (22 before, 21 on an earlier 18.0), the
# savepoint of a concurrent insert included; the budget leaves room for the revisions
# users run, the equality above is exact.
QUERY_BUDGET = 20
