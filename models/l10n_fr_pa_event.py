# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lifecycle event lines (one per platform message) and their idempotent ingestion."""

import logging
from collections import defaultdict
from datetime import timezone
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import mute_logger
from psycopg2 import errors as pg_errors

from ..einvoicing import lifecycle
from ..einvoicing.gateways.flows import LC_PREFIX

_logger = logging.getLogger(__name__)

ISSUER_ROLES = [("platform", "Platform"), ("buyer", "Buyer"), ("supplier", "Supplier")]


class L10nFrPaEvent(models.Model):
    _name = "l10n_fr_pa.event"
    _description = "E-invoicing lifecycle event"
    _order = "event_datetime desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    move_id = fields.Many2one(
        "account.move", index="btree_not_null", ondelete="cascade", check_company=True,
        readonly=True,
    )
    code = fields.Integer(required=True, readonly=True)
    label = fields.Char(string="Status", compute="_compute_label")
    event_datetime = fields.Datetime(string="Date", required=True, readonly=True)
    issuer_role = fields.Selection(ISSUER_ROLES, string="Issued by", readonly=True)
    reason_code = fields.Char(string="Reason code", readonly=True)
    reason_label = fields.Char(
        string="Reason", compute="_compute_reason_label",
        help="Reason code with its label in your language.")
    reason_text = fields.Char(string="Reason text", readonly=True)
    message = fields.Text(readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_detail = fields.Char(
        string="Amounts", readonly=True, help="Each amount of the message with its VAT rate."
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    platform_message_id = fields.Char(string="Platform message id", required=True, readonly=True)
    flow_id = fields.Char(string="Platform flow id", index="btree_not_null", readonly=True)
    invoice_number = fields.Char(readonly=True, index="btree_not_null")
    invoice_date = fields.Date(readonly=True)
    seller_siren = fields.Char(string="Seller SIREN", readonly=True)
    buyer_siren = fields.Char(string="Buyer SIREN", readonly=True)
    characteristics = fields.Json(
        readonly=True, help="Typed values of the message (approved amounts, data in error "
        "and the value expected, completed data), as the core reads them.")
    detail = fields.Char(
        compute="_compute_detail",
        help="The message's typed values in words, e.g. \"Unit price of line 3, expected "
        "9.50 EUR\".")

    _sql_constraints = [
        (
            "platform_message_uniq",
            "unique(company_id, platform_message_id)",
            "A platform message is stored once per company.",
        ),
    ]

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_label(self):
        for event in self:
            event.label = self._status_label(event.code)

    @api.depends("reason_code")
    @api.depends_context("lang")
    def _compute_reason_label(self):
        for event in self:
            event.reason_label = self._reason_label(event.reason_code) or False

    @api.depends("characteristics")
    @api.depends_context("lang")
    def _compute_detail(self):
        from ..einvoicing.lifecycle.characteristics import Characteristic, describe

        lang = "fr" if (self.env.lang or "").startswith("fr") else "en"
        for event in self:
            items = [Characteristic.from_dict(c) for c in event.characteristics or []]
            shown = [i for i in items if i.type_code != "DIV"] if any(
                i.type_code == "DVA" for i in items) else items
            event.detail = "; ".join(describe(i, lang) for i in shown) or False

    @api.model
    def _reason_label(self, reason_code):
        """The reason as "CODE - label" in the user's language (code alone if unknown)."""
        reason = lifecycle.REASONS.get((reason_code or "").upper())
        if not reason:
            return reason_code or ""
        french = (self.env.lang or "").startswith("fr")
        return f"{reason_code} - {reason.label_fr if french else reason.label_en}"

    @api.model
    def _status_label(self, code):
        """The status label in the user's language (French or English)."""
        status = lifecycle.STATUSES.get(code)
        if status is None:
            return self.env._("Unknown status %(code)s", code=code)
        return status.label_fr if (self.env.lang or "").startswith("fr") else status.label_en

    # ------------------------------------------------------------------ ingestion
    @api.model
    def _ingest(self, connection, core_events):
        """Store lifecycle events once each and refresh the moves they concern.

        :param connection: the ``l10n_fr_pa.connection`` the events come from (its company
            owns them).
        :param core_events: iterable of ``einvoicing.lifecycle.Event``; ``flow_id`` is the
            platform flow that carried the message (or the invoice flow it refers to).
        :return: dict ``created`` (new event records), ``duplicates`` (number of messages
            already stored or repeated in the batch), ``moves`` (moves that received new
            events), ``unlinked`` (new events matching no move yet).

        Cost is constant in the number of events: one search for known ids, one for
        currencies, one for candidate moves, one batched create, one batched refresh.
        """
        company = connection.company_id
        unique, duplicates = {}, 0
        for event in core_events:
            if event.message_id in unique:
                duplicates += 1
            else:
                unique[event.message_id] = event
        known = self._known_message_ids(company, list(unique)) if unique else set()
        duplicates += len(known)
        new_events = [ev for mid, ev in unique.items() if mid not in known]
        if not new_events:
            return {"created": self.browse(), "duplicates": duplicates,
                    "moves": self.env["account.move"], "unlinked": 0}
        moves_of = self._match_moves(company, new_events)
        new_events, echoed = self._claim_echoes(company, new_events, moves_of)
        duplicates += echoed
        if not new_events:
            return {"created": self.browse(), "duplicates": duplicates,
                    "moves": self.env["account.move"], "unlinked": 0}
        currencies = self._currencies_for(new_events)
        vals_list = [
            self._vals_from_core(company, ev, moves_of(ev), currencies) for ev in new_events
        ]
        created, raced = self._create_once(vals_list)
        duplicates += raced
        # From the values just written: reading created.move_id back would cost a query.
        written = vals_list if not raced else [{"move_id": e.move_id.id} for e in created]
        moves = self.env["account.move"].browse(
            dict.fromkeys(v["move_id"] for v in written if v["move_id"]))
        if moves:
            moves._l10n_fr_pa_refresh_status()
        _logger.info(
            "E-invoicing: company %s stored %s lifecycle event(s), %s duplicate(s)",
            company.id, len(created), duplicates,
        )
        return {"created": created, "duplicates": duplicates, "moves": moves,
                "unlinked": sum(1 for v in written if not v["move_id"])}

    @api.model
    def _claim_echoes(self, company, events, moves_of):
        """Give our own status lines the id of the platform event that reports them.

        A platform without flows (Qonto, A-Cube: ``einvoicing.gateways.flows``) reports a
        status we pushed as one of its events, under its own id (flow ids ``lc:...``).
        The line recorded when we pushed it takes that id and flow, instead of a second
        line: one line per status, and the next read of the same event is a known
        message. Returns (events left to store, number claimed). No query for platforms
        with flows (AFNOR): they give our message back with our id.
        """
        move_of_echo = {id(ev): move for ev in events
                        if (ev.flow_id or "").startswith(LC_PREFIX) and (move := moves_of(ev))}
        if not move_of_echo:
            return events, 0
        ours = self.sudo().search([
            ("company_id", "=", company.id),
            ("move_id", "in", list({move.id for move in move_of_echo.values()})),
            ("code", "in", list({ev.status_code for ev in events if id(ev) in move_of_echo})),
            "|", ("flow_id", "=", False), "!", ("flow_id", "=like", f"{LC_PREFIX}%"),
        ], order="event_datetime, id")
        pool = defaultdict(list)
        for line in ours:
            pool[(line.move_id.id, line.code, line.issuer_role)].append(line)
        left, claimed = [], 0
        for event in events:
            move = move_of_echo.get(id(event))
            lines = pool.get((move.id, event.status_code, event.issuer_role)) if move else None
            if lines:
                lines.pop(0).write({"platform_message_id": event.message_id,
                                    "flow_id": event.flow_id})
                claimed += 1
            else:
                left.append(event)
        return left, claimed

    @api.model
    def _known_message_ids(self, company, message_ids):
        """The message ids among ``message_ids`` already stored for ``company``."""
        return set(self.sudo().search([
            ("company_id", "=", company.id), ("platform_message_id", "in", message_ids),
        ]).mapped("platform_message_id"))

    @api.model
    def _create_once(self, vals_list):
        """Create the event lines; (records, number skipped as stored meanwhile).

        Another transaction (the cron, a button, a status pushed, the same message
        received twice at once) may have stored some of these messages after this
        transaction looked them up: its rows are invisible here but the unique key
        refuses ours. Then each line is created in its own savepoint and the ones
        already stored are skipped: one line per message, and nothing else rolled back.
        """
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return self.create(vals_list), 0
        except pg_errors.UniqueViolation:
            _logger.info("E-invoicing: some lifecycle messages were stored meanwhile by "
                         "another transaction; storing the others one by one")
        created, skipped = self.browse(), 0
        for vals in vals_list:
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    created |= self.create(vals)
            except pg_errors.UniqueViolation:
                skipped += 1
        return created, skipped

    @api.model
    def _currencies_for(self, core_events):
        names = {a.currency for ev in core_events for a in ev.amounts}
        if not names:
            return {}
        found = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", list(names))]
        )
        return {c.name: c for c in found}

    @api.model
    def _vals_from_core(self, company, event, move, currencies):
        amount, currency, detail = self._amount_vals(event.amounts, currencies)
        stamp = event.timestamp.astimezone(timezone.utc).replace(tzinfo=None)
        return {
            "company_id": company.id,
            "move_id": move.id if move else False,
            "code": event.status_code,
            "event_datetime": stamp,
            "issuer_role": event.issuer_role if event.issuer_role in dict(ISSUER_ROLES) else False,
            "reason_code": event.reason_code or False,
            "reason_text": event.reason_text or False,
            "message": event.message or False,
            "amount": amount,
            "amount_detail": detail,
            "currency_id": currency.id if currency else False,
            "platform_message_id": event.message_id,
            "flow_id": event.flow_id or False,
            "invoice_number": event.invoice_number or False,
            "invoice_date": event.invoice_date or False,
            "seller_siren": event.seller_siren or False,
            "buyer_siren": event.buyer_siren or False,
            "characteristics": [c.to_dict() for c in event.characteristics] or False,
        }

    @api.model
    def _amount_vals(self, amounts, currencies):
        """(total, currency record, readable detail); total only when one currency."""
        if not amounts:
            return 0.0, None, False
        detail = ", ".join(
            f"{a.amount} {a.currency}" + (f" (VAT {a.vat_rate}%)" if a.vat_rate is not None else "")
            for a in amounts
        )
        codes = {a.currency for a in amounts}
        if len(codes) != 1:
            return 0.0, None, detail
        total = sum((a.amount for a in amounts), Decimal(0))
        return float(total), currencies.get(codes.pop()), detail

    # ------------------------------------------------------------------ linking
    @api.model
    def _match_moves(self, company, core_events):
        """Return ``event -> move`` for a batch, with one search for all candidates.

        A move matches by platform flow id, else by the referenced invoice: number (``name``
        of a customer document, ``ref`` of a vendor one), issue date and seller SIREN.
        """
        Move = self.env["account.move"]
        flow_ids = sorted({ev.flow_id for ev in core_events if ev.flow_id})
        numbers = sorted({ev.invoice_number for ev in core_events if ev.invoice_number})
        domain = [("name", "in", numbers), ("move_type", "in", Move.get_sale_types())]
        domain = ["|", "&", *domain, "&", ("ref", "in", numbers),
                  ("move_type", "in", Move.get_purchase_types())]
        if flow_ids:
            domain = ["|", ("l10n_fr_pa_flow_id", "in", flow_ids), *domain]
        candidates = Move.search([("company_id", "=", company.id), *domain]) if (
            numbers or flow_ids) else Move
        by_flow, by_ref = {}, defaultdict(lambda: Move)
        # Read only when a candidate needs it (two queries on a cold cache).
        company_siren = company._l10n_fr_pa_find_siren() if candidates else None
        for move in candidates:
            if move.l10n_fr_pa_flow_id:
                by_flow[move.l10n_fr_pa_flow_id] = move
            if move.is_sale_document():
                by_ref[(move.name, move.invoice_date, company_siren)] |= move
            else:
                by_ref[(move.ref, move.invoice_date,
                        move.commercial_partner_id._l10n_fr_pa_find_siren())] |= move

        def move_of(event):
            if event.flow_id and event.flow_id in by_flow:
                return by_flow[event.flow_id]
            found = by_ref.get((event.invoice_number, event.invoice_date, event.seller_siren))
            # Ambiguous references (two moves) are left unlinked rather than guessed.
            return found if found and len(found) == 1 else None

        return move_of

    @api.model
    def _link_orphans(self, company, moves):
        """Attach event lines without a move to ``moves`` when their reference matches.

        Returns the moves that received events (their status refreshed).
        """
        refs = [r for r in moves.mapped("name") + moves.mapped("ref") if r]
        orphans = self.search([
            ("company_id", "=", company.id), ("move_id", "=", False),
            ("invoice_number", "in", refs),
        ]) if refs else self
        if not orphans:
            return self.env["account.move"]
        move_of = self._match_moves(company, orphans)
        linked = self.env["account.move"]
        for event in orphans:
            move = move_of(event)
            if move and move in moves:
                event.move_id = move
                linked |= move
        if linked:
            linked._l10n_fr_pa_refresh_status()
        return linked
