# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Company-wide synchronisation with the platform: cron, per-move button, retries.

A scan asks the platform for the flows updated after the saved cursor, page by page.
Lifecycle flows (CDAR) become ``l10n_fr_pa.event`` lines; incoming invoice flows are
handed to the reception (``l10n_fr_pa.inbound``). The cursor is written in the same
transaction as the events, so a crash before the commit loses nothing: the next run
asks again and idempotent ingestion keeps one line per platform message.
"""

import dataclasses
import logging
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..einvoicing.afnor import AfnorError
from ..einvoicing.errors import InputError

_logger = logging.getLogger(__name__)

LC_TYPES = ("CustomerInvoiceLC", "SupplierInvoiceLC")
INVOICE_TYPES = ("CustomerInvoice", "SupplierInvoice")
PAGE_SIZE = 100
PAGES_PER_RUN = 5
# Flows updated in the same second as the cursor are asked again (known ones are skipped).
CURSOR_OVERLAP = timedelta(seconds=1)
# The Synchronise button downloads at most this many missing flows per click (the rest on
# the next click), so one click stays one short transaction.
RERUN_DOWNLOADS = PAGES_PER_RUN * PAGE_SIZE
# No lifecycle flow about a move predates the move in Odoo; margin for the platform's clock.
RERUN_MARGIN = timedelta(days=1)
CRON_XMLID = "l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_sync"


def parse_cdar(data):
    """The core CDAR parser (module attribute so tests can inject faults)."""
    from ..einvoicing.lifecycle import (
        cdar,  # core module being written alongside; keeps loading safe
    )

    return cdar.parse_cdar(data)


def _stops_the_scan(error):
    """A download error that is not about the flow: the platform unavailable (retryable)
    or our access refused (401, 403, even after a fresh token). The scan stops there and
    the cursor stays, so the next run asks for the flow again; other errors (the flow
    gone, unreadable) are the flow's: listed, skipped, retried from the diagnostics."""
    return error.retryable or error.http_status in (401, 403)


def _iso_minus_overlap(value):
    """``value`` (ISO 8601) moved back by CURSOR_OVERLAP, as ISO 8601."""
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (stamp - CURSOR_OVERLAP).isoformat()


class L10nFrPaSynchronizer(models.AbstractModel):
    _name = "l10n_fr_pa.synchronizer"
    _description = "E-invoicing synchronisation"

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_sync(self):
        """Scheduled action: a few pages per company; asks to be run again when more remain."""
        connections = self.env["l10n_fr_pa.connection"].sudo().search([("flow_url", "!=", False)])
        done = remaining = 0
        for connection in connections:
            result = self._sync_company_safely(connection, auto=True)
            done += result["flows"]
            remaining += 1 if result["more"] else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if remaining:
            cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        return done

    @api.model
    def _sync_company_safely(self, connection, auto=False, pages=PAGES_PER_RUN):
        """Sync one company; any failure is rolled back to a savepoint and listed."""
        company = connection.company_id
        sync = self.with_company(company)
        try:
            with self.env.cr.savepoint():
                result = sync._sync_connection(connection, pages=pages, auto=auto)
            self.env["l10n_fr_pa.error"]._resolve(company, "sync", flow_ids=[False])
            return result
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            # Another transaction (a button, a sending, a payment) changed the same rows:
            # nothing is wrong, the sync runs again at once (``more``), as Odoo retries.
            _logger.info("E-invoicing sync of company %s met a concurrent update; it runs "
                         "again", company.id)
            return {"flows": 0, "more": True, "moves": self.env["account.move"], "events": 0}
        except AfnorError as exc:
            message = self.env["l10n_fr_pa.messages"]._user_message(exc)
            code = exc.code
        except InputError as exc:
            message, code = str(exc), exc.code
        except Exception as exc:  # one company never stops the others
            _logger.exception("E-invoicing sync of company %s failed", company.id)
            message, code = str(exc) or exc.__class__.__name__, "unexpected"
        self.env["l10n_fr_pa.error"]._record(company, "sync", message, code=code)
        return {"flows": 0, "more": False, "moves": self.env["account.move"], "events": 0,
                "error": message}

    # ------------------------------------------------------------------ one company
    @api.model
    def _sync_connection(self, connection, pages=PAGES_PER_RUN, auto=False, wait=True):
        """Scan up to ``pages`` pages of new flows; cursor saved with the events."""
        result = {"flows": 0, "more": False, "moves": self.env["account.move"], "events": 0}
        if not connection.sudo()._lock_for_sync(wait=wait):
            result["more"] = True  # another transaction is syncing this company
            return result
        conn = connection.sudo()
        client = connection._get_flow_client()
        for _page in range(pages):
            criteria = {"flow_type": list(LC_TYPES + INVOICE_TYPES)}
            if conn.sync_updated_after:
                criteria["updated_after"] = _iso_minus_overlap(conn.sync_updated_after)
            flows, next_cursor = client.search_flows(
                cursor=conn.sync_page_cursor or None, limit=PAGE_SIZE, **criteria
            )
            page = self._process_flows(connection, client, flows)
            result["flows"] += len(flows)
            result["events"] += page["events"]
            result["moves"] |= page["moves"]
            if page["stop"]:
                break  # platform unavailable: the cursor stays where it was
            self._advance_cursor(conn, flows, next_cursor)
            if not next_cursor:
                break
        else:
            result["more"] = bool(conn.sync_page_cursor)
        now = fields.Datetime.now()
        conn.write({"last_sync": now, **({"last_auto_sync": now} if auto else {})})
        return result

    @api.model
    def _advance_cursor(self, conn, flows, next_cursor):
        stamps = [f.get("updatedAt") for f in flows if f.get("updatedAt")]
        scan_max = max([conn.sync_scan_max or "", *stamps]) or False
        if next_cursor:
            conn.write({"sync_page_cursor": next_cursor, "sync_scan_max": scan_max})
        else:
            conn.write({
                "sync_page_cursor": False, "sync_scan_max": False,
                "sync_updated_after": scan_max or conn.sync_updated_after,
            })

    # ------------------------------------------------------------------ flows
    @api.model
    def _process_flows(self, connection, client, flows):
        """Download and ingest the new lifecycle flows of a page; hand invoices to
        reception (unless the platform stopped, see ``_ingest_lc_flows``)."""
        lc_flows = self._unstored_lc_flows(connection.company_id, flows)
        page = self._ingest_lc_flows(connection, client, lc_flows)
        if not page["stop"]:
            self._hand_inbound(connection, flows)
        return page

    @api.model
    def _ingest_lc_flows(self, connection, client, lc_flows):
        """Download the lifecycle flows ``lc_flows`` (not stored yet) and store their events.

        A flow that cannot be read is listed in the diagnostics and skipped; a platform
        that stops answering or refuses our access stops the page (``stop``: the error)
        so the cursor does not move.
        """
        company = connection.company_id
        events, done_ids, stop = [], [], None
        for flow in lc_flows:
            try:
                events.append(self._event_of_flow(client, flow["flowId"]))
                done_ids.append(flow["flowId"])
            except AfnorError as exc:
                self.env["l10n_fr_pa.error"]._record(
                    company, "sync", self.env["l10n_fr_pa.messages"]._user_message(exc),
                    code=exc.code, flow_id=flow["flowId"])
                if _stops_the_scan(exc):
                    stop = exc
                    break
            except InputError as exc:
                self.env["l10n_fr_pa.error"]._record(
                    company, "sync",
                    self.env["l10n_fr_pa.messages"]._flow_unreadable(flow["flowId"], exc),
                    code=exc.code, flow_id=flow["flowId"])
        summary = self.env["l10n_fr_pa.event"]._ingest(connection, events)
        if done_ids:
            self.env["l10n_fr_pa.error"]._resolve(company, "sync", flow_ids=done_ids)
        return {"events": len(summary["created"]), "moves": summary["moves"], "stop": stop}

    @api.model
    def _unstored_lc_flows(self, company, flows):
        """The lifecycle flows among ``flows`` that no event line of ``company`` holds."""
        lc_flows = [f for f in flows if f.get("flowType") in LC_TYPES and f.get("flowId")]
        if not lc_flows:
            return []
        known = set(self.env["l10n_fr_pa.event"].sudo().search([
            ("company_id", "=", company.id),
            ("flow_id", "in", [f["flowId"] for f in lc_flows]),
        ]).mapped("flow_id"))
        return [f for f in lc_flows if f["flowId"] not in known]

    @api.model
    def _event_of_flow(self, client, flow_id):
        data = client.get_flow(flow_id, "Original")
        event = parse_cdar(data)
        # The event line remembers the flow that carried it (to skip it on later scans).
        return dataclasses.replace(event, flow_id=flow_id)

    @api.model
    def _hand_inbound(self, connection, flows):
        """Give incoming invoice flows to the reception."""
        inbound = [f for f in flows
                   if f.get("flowType") in INVOICE_TYPES and f.get("flowDirection") == "In"]
        if inbound:
            self.env["l10n_fr_pa.inbound"]._l10n_fr_pa_receive_flows(connection, inbound)

    # ------------------------------------------------------------------ button
    @api.model
    def _sync_moves(self, moves):
        """Company-wide incremental sync, then a re-run of these moves' history.

        Returns a ``display_notification`` action saying exactly what changed: this
        record, another record, several records (how many), or nothing.
        The company-wide part does not wait for a synchronisation already running (the
        cron): waiting on it made the click fail on the connection row it had updated.
        """
        changed, stopped, remaining = self.env["account.move"], None, 0
        for company in moves.company_id:
            company_moves = moves.filtered(lambda m, c=company: m.company_id == c)
            connection = self.env["l10n_fr_pa.connection"]._for_company(company)
            sync = self.with_company(company)
            try:
                result = sync._sync_connection(connection, pages=PAGES_PER_RUN, wait=False)
                changed |= result["moves"]
                rerun = sync._rerun_history(connection, company_moves)
            except AfnorError as exc:
                self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
            changed |= rerun["moves"]
            stopped = stopped or rerun["stopped"]
            remaining += rerun["remaining"]
        return self._sync_notification(moves, changed, stopped=stopped, remaining=remaining)

    @api.model
    def _rerun_history(self, connection, moves):
        """Fetch the company's lifecycle flows not stored yet, relink orphan events.

        Stored messages never change on the platform (one id, one content), so the
        re-run downloads only the flows without an event line (new ones and ones that
        failed before), among those updated since the oldest of ``moves`` was created
        (minus RERUN_MARGIN), at most RERUN_DOWNLOADS per click; it also re-attaches
        event lines that matched no move when they came.
        Returns ``moves`` (those that received events), ``stopped`` (the AfnorError that
        stopped the re-run part-way, also listed in the diagnostics, or None) and
        ``remaining`` (flows left for the next click). What was received is stored even
        when stopped: a UserError would roll it back, and the next click would download
        it all again (the soak saw clicks never ending that way).
        """
        company = connection.company_id
        client = connection._get_flow_client()
        since = min(moves.mapped("create_date")) - RERUN_MARGIN
        flows = client.iter_flows(flow_type=list(LC_TYPES),
                                  updated_after=since.replace(tzinfo=timezone.utc))
        missing = self._unstored_lc_flows(company, list(flows))
        page = self._ingest_lc_flows(connection, client, missing[:RERUN_DOWNLOADS])
        moves = page["moves"] | self.env["l10n_fr_pa.event"]._link_orphans(company, moves)
        return {"moves": moves, "stopped": page["stop"],
                "remaining": max(0, len(missing) - RERUN_DOWNLOADS)}

    @api.model
    def _sync_notification(self, moves, changed, stopped=None, remaining=0):
        """The four-case confirmation (seed 001 §6) as a client notification.

        ``remaining`` flows left for the next click add a sentence saying so (warning);
        ``stopped`` (an AfnorError) replaces it all with what stopped the download.
        """
        mine, others = changed & moves, changed - moves
        Messages = self.env["l10n_fr_pa.messages"]
        if stopped:
            message = self.env._("The platform stopped answering during the synchronisation; "
                                 "what was received is kept. Try again in a few minutes.")
            if not stopped.retryable:  # our access refused: say what to fix
                message = " ".join([Messages._user_message(stopped), self.env._(
                    "What was received before is kept.")])
            return Messages._notification(
                message, title=self.env._("Synchronised with the platform"), level="warning")
        if not changed:
            message = self.env._("Nothing was updated: the platform has no new event "
                                 "(no changes).")
        elif len(changed) == 1 and mine:
            message = self.env._("This record was updated with the platform's new events.")
        elif len(changed) == 1:
            message = self.env._("Another record was updated: %(name)s. This record has no "
                                 "new event.", name=others.display_name)
        elif mine:
            message = self.env._("%(count)s records were updated, including this one.",
                                 count=len(changed))
        else:
            message = self.env._("%(count)s other records were updated. This record has no "
                                 "new event.", count=len(changed))
        level = "success" if changed else "info"
        if remaining:
            message = " ".join([message, self.env._(
                "%(count)s more platform messages are still to be downloaded: click "
                "Synchronise with the platform again to fetch them.", count=remaining)])
            level = "warning"
        return Messages._notification(
            message, title=self.env._("Synchronised with the platform"), level=level)

    # ------------------------------------------------------------------ retries
    @api.model
    def _retry_error(self, error):
        """Retry of a sync error: the flow it names, else the company's sync."""
        if error.flow_id:
            self._retry_flow(error)
        else:
            self._retry_company(error)

    @api.model
    def _retry_flow(self, error):
        """Download the flow of ``error`` again; the error goes when its event is stored."""
        connection = self.env["l10n_fr_pa.connection"]._for_company(error.company_id)
        Messages = self.env["l10n_fr_pa.messages"]
        try:
            event = self._event_of_flow(connection._get_flow_client(), error.flow_id)
        except AfnorError as exc:
            Messages._raise_user_error(exc)
        except InputError as exc:
            raise UserError(Messages._flow_unreadable(error.flow_id, exc)) from exc
        self.env["l10n_fr_pa.event"]._ingest(connection, [event])
        error.sudo().unlink()

    @api.model
    def _retry_company(self, error):
        connection = self.env["l10n_fr_pa.connection"]._for_company(error.company_id)
        try:
            self._sync_connection(connection)
        except AfnorError as exc:
            self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
        error.sudo().unlink()
