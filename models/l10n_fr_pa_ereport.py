# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-reports (flux 10): one record per company, kind and period, initial or rectificative.

draft (figures computed, not yet a valid XML) -> ready (valid XML attached) -> sent
(platform flow id) -> accepted / rejected (the platform's reasons). The figures come
from ``l10n_fr_pa.ereport.builder``; the XML, its validation, the calendar and the
submission from the core (``einvoicing.ereporting``). Never two initial reports for
one company, kind and period: a partial unique index says so in the database.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..einvoicing import ereporting as core
from ..einvoicing.afnor import AfnorError
from ..einvoicing.ereporting.platform import report_outcome, submit_report
from ..einvoicing.errors import EInvoicingError

_logger = logging.getLogger(__name__)

KINDS = [
    ("sales_int", "International sales (10.1)"),
    ("purchases_int", "International purchases (10.1)"),
    ("b2c", "B2C sales (10.3)"),
    ("payments_int", "International payments (10.2)"),
    ("payments_b2c", "B2C payments (10.4)"),
]
KIND_CODES = {"sales_int": "INT", "purchases_int": "ACH", "b2c": "B2C",
              "payments_int": "PINT", "payments_b2c": "PB2C"}
PAYMENT_KINDS = ("payments_int", "payments_b2c")
STATES = [("draft", "Draft"), ("ready", "Ready"), ("sent", "Sent"), ("accepted", "Accepted"),
          ("rejected", "Rejected")]
BATCH_SIZE = 50


class L10nFrPaEreport(models.Model):
    _name = "l10n_fr_pa.ereport"
    _description = "E-report (flux 10)"
    _inherit = ["mail.thread"]
    _order = "period_start desc, kind, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda s: s.env.company)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    report_type = fields.Selection([("IN", "Initial"), ("RE", "Rectificative")],
                                   string="Type", required=True, default="IN", readonly=True)
    origin_id = fields.Many2one("l10n_fr_pa.ereport", string="Rectifies", readonly=True,
                                check_company=True)
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    due_date = fields.Date(readonly=True)
    state = fields.Selection(STATES, required=True, default="draft", readonly=True,
                             tracking=True, copy=False)
    transmission_id = fields.Char(readonly=True, copy=False,
                                  help="TT-1, also the trackingId of the platform flow.")
    transmission_count = fields.Integer(readonly=True, copy=False)
    flow_id = fields.Char(string="Platform flow id", readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    error_message = fields.Text(string="Errors", readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="XML", readonly=True, copy=False)
    move_ids = fields.Many2many("account.move", string="Documents", readonly=True, copy=False,
                                check_company=True)
    move_count = fields.Integer(compute="_compute_move_count")
    line_ids = fields.One2many("l10n_fr_pa.ereport.line", "report_id", readonly=True)
    amount_untaxed = fields.Monetary(compute="_compute_amounts", store=True,
                                     string="Taxable amount")
    amount_tax = fields.Monetary(compute="_compute_amounts", store=True, string="VAT")
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_outdated = fields.Boolean(
        compute="_compute_is_outdated", string="Documents changed since sending",
        help="A document of this period was posted, changed or cancelled after the report "
        "was sent: send a rectificative report.")

    def init(self):
        # Partial unique index: one initial report per company, kind and period.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS l10n_fr_pa_ereport_unique_initial
            ON l10n_fr_pa_ereport (company_id, kind, period_start, period_end)
            WHERE report_type = 'IN'
        """)

    @api.depends("kind", "period_start", "period_end", "report_type")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            suffix = self.env._(" (rectificative)") if report.report_type == "RE" else ""
            report.name = f"{labels.get(report.kind, '')} {report.period_start or ''} - " \
                          f"{report.period_end or ''}{suffix}"

    @api.depends("move_ids")
    def _compute_move_count(self):
        for report in self:
            report.move_count = len(report.move_ids)

    @api.depends("line_ids.amount_untaxed", "line_ids.amount_tax")
    def _compute_amounts(self):
        for report in self:
            report.amount_untaxed = sum(report.line_ids.mapped("amount_untaxed"))
            report.amount_tax = sum(report.line_ids.mapped("amount_tax"))

    def _compute_is_outdated(self):
        for report in self:
            report.is_outdated = bool(report.state in ("sent", "accepted")
                                      and report.kind not in PAYMENT_KINDS
                                      and report._get_changes())

    def _get_changes(self):
        """Why the sent figures no longer match the books (empty: they match): documents
        posted late or no longer posted, or totals that changed."""
        self.ensure_one()
        data, moves = self._get_core_report()
        changes = [self.env._("%(document)s was posted after sending", document=m.name)
                   for m in moves - self.move_ids]
        changes += [self.env._("%(document)s is no longer posted", document=m.name)
                    for m in self.move_ids - moves]
        lines = self._get_line_values(data)
        untaxed = round(sum(v["amount_untaxed"] for v in lines), 2)
        tax = round(sum(v.get("amount_tax", 0.0) for v in lines), 2)
        if not changes and (self.currency_id.compare_amounts(untaxed, self.amount_untaxed)
                            or self.currency_id.compare_amounts(tax, self.amount_tax)):
            changes.append(self.env._("the totals changed"))
        return changes

    # ------------------------------------------------------------------ computing
    @api.model
    def _family(self, kind):
        return "payments" if kind in PAYMENT_KINDS else "transactions"

    @api.model
    def _get_or_create(self, company, kind, period):
        """The initial report of (company, kind, period), created when missing."""
        report = self.search([("company_id", "=", company.id), ("kind", "=", kind),
                              ("period_start", "=", period.start),
                              ("period_end", "=", period.end), ("report_type", "=", "IN")])
        return report or self.create({
            "company_id": company.id, "kind": kind, "period_start": period.start,
            "period_end": period.end, "due_date": period.due})

    def _get_core_report(self):
        """(core.EReport, included moves) from the posted documents of the period."""
        self.ensure_one()
        Builder = self.env["l10n_fr_pa.ereport.builder"].with_company(self.company_id)
        company, start, end = self.company_id, self.period_start, self.period_end
        report = core.EReport(
            transmission_id=self.transmission_id, type_code=self.report_type,
            issuer_siren=company._l10n_fr_pa_siren(), issuer_name=company.name,
            issuer_role="BY" if self.kind == "purchases_int" else "SE",
            period_start=start, period_end=end,
            platform_id=company.l10n_fr_pa_platform_code or "",
            platform_name=urlsplit(company._l10n_fr_pa_connection().flow_url or "").hostname
            or "PA",
            issued_at=fields.Datetime.now())
        if self.kind == "b2c":
            report.transactions = Builder._get_daily_transactions(company, start, end)
            moves = self.env["account.move"].search(
                Builder._get_move_domain(company, "b2c", start, end))
        elif self.kind in PAYMENT_KINDS:
            rows, moves = Builder._get_payments(company, self.kind, start, end)
            if self.kind == "payments_int":
                report.invoice_payments = rows
            else:
                report.daily_payments = rows
        else:
            report.invoices, moves = Builder._get_invoice_entries(company, self.kind, start, end)
        return report, moves

    @api.model
    def _get_line_values(self, report):
        """Totals per day, category and rate shown on the form (l10n_fr_pa.ereport.line)."""
        values = []
        for day in report.transactions:
            values += [{"day": day.day, "category": day.category, "rate": float(sub.rate),
                        "amount_untaxed": float(sub.taxable_amount),
                        "amount_tax": float(sub.tax_amount)} for sub in day.subtotals]
        for entry in report.invoices:
            values += [{"day": entry.issue_date, "document": entry.number,
                        "rate": float(sub.rate), "amount_untaxed": float(sub.taxable_amount),
                        "amount_tax": float(sub.tax_amount)} for sub in entry.subtotals]
        for pay in report.invoice_payments:
            values += [{"day": pay.payment_date, "document": pay.invoice_number,
                        "rate": float(a.rate), "amount_untaxed": float(a.amount)}
                       for a in pay.amounts]
        for day in report.daily_payments:
            values += [{"day": day.day, "rate": float(a.rate), "amount_untaxed": float(a.amount)}
                       for a in day.amounts]
        return values

    def _new_transmission_id(self):
        """A new TT-1 for each transmission of this record (a rejected report is resent
        under a new id: the platform keeps the rejected flow under the old one)."""
        self.ensure_one()
        self.transmission_count += 1
        return (f"{KIND_CODES[self.kind]}-{self.company_id._l10n_fr_pa_siren()}-"
                f"{self.period_start:%Y%m%d}-{self.report_type}-{self.id}-"
                f"{self.transmission_count}")

    def action_prepare(self):
        """(Re)compute figures, documents and XML; ready when the XML is valid."""
        for report in self:
            if report.state not in ("draft", "ready", "rejected"):
                raise UserError(self.env._(
                    "%(report)s was already sent: use Rectify to send a corrected report.",
                    report=report.display_name))
            report._prepare_one()
        return True

    def _prepare_one(self):
        self.ensure_one()
        if not self.transmission_id or self.state == "rejected":
            self.transmission_id = self._new_transmission_id()
        try:
            data, moves = self._get_core_report()
            problems = self._check_core_report(data)
            xml = core.build_report(data)
            result = core.validate_report(xml, filename=f"{self.transmission_id}.xml")
        except (EInvoicingError, UserError) as error:
            message = error.args[0] if isinstance(error, UserError) else \
                self.env["l10n_fr_pa.messages"]._user_message(error)
            self.write({"state": "draft", "error_message": message})
            return False
        problems += [f"{f.rule_id}: {f.message}" for f in result.errors]
        self.line_ids.unlink()
        attachment = self._attach_xml(xml)
        self.write({
            "move_ids": [fields.Command.set(moves.ids)],
            "line_ids": [fields.Command.create(v) for v in self._get_line_values(data)],
            "attachment_id": attachment.id,
            "state": "draft" if problems else "ready",
            "error_message": "\n".join(problems) or False,
            "flow_id": False,
        })
        return not problems

    def _check_core_report(self, data):
        """Problems the user can fix in Odoo before the rules run (plain sentences)."""
        problems = []
        if len(self.company_id.l10n_fr_pa_platform_code or "") != 4:
            problems.append(self.env._(
                "Set the 4-character registration number of your platform in Settings > "
                "E-invoicing (sender of the e-reports)."))
        for entry in data.invoices:
            them = entry.seller if self.kind == "purchases_int" else entry.buyer
            if not them.id:
                problems.append(self.env._(
                    "%(document)s: the partner has no VAT number nor company registry: "
                    "e-reporting needs its identifier.", document=entry.number))
        return problems

    def _attach_xml(self, xml):
        values = {"name": f"{self.transmission_id}.xml", "raw": xml,
                  "mimetype": "application/xml", "res_model": self._name, "res_id": self.id}
        if self.attachment_id:
            self.attachment_id.write(values)
            return self.attachment_id
        return self.env["ir.attachment"].create(values)

    # ------------------------------------------------------------------ sending
    @api.model
    def _retry_error(self, error):
        """Retry of a failed send listed in the diagnostics (``l10n_fr_pa.error``)."""
        error.ereport_id.action_send()

    def action_send(self):
        for report in self:
            if report.state == "rejected":
                report._prepare_one()
            if report.state != "ready":
                raise UserError(self.env._(
                    "%(report)s is not ready to send: %(errors)s", report=report.display_name,
                    errors=report.error_message or self.env._("prepare it first")))
            report._send_one()
        return True

    def _send_one(self):
        self.ensure_one()
        connection = self.company_id._l10n_fr_pa_connection()
        Error = self.env["l10n_fr_pa.error"]
        try:
            info = submit_report(connection._get_flow_client(), self.attachment_id.raw,
                                 self.transmission_id)
        except AfnorError as error:
            message = self.env["l10n_fr_pa.messages"]._user_message(error)
            self.error_message = message
            Error._record(self.company_id, "ereport", message, code=error.code,
                          ereport=self)
            return False
        self.write({"flow_id": info["flowId"], "state": "sent",
                     "sent_date": fields.Datetime.now(), "error_message": False})
        Error.sudo().search([("ereport_id", "=", self.id)]).unlink()
        self._apply_outcome(info)
        return True

    def _apply_outcome(self, flow):
        state, reasons = report_outcome(flow)
        if state == "accepted":
            self.write({"state": "accepted", "error_message": False})
        elif state == "rejected":
            self.write({"state": "rejected", "error_message": "\n".join(reasons)})
            self.message_post(body=self.env._(
                "The platform rejected this e-report:\n%(reasons)s", reasons="\n".join(reasons)))

    def action_check_status(self):
        """Read the platform's acknowledgement of sent reports."""
        for report in self.filtered(lambda r: r.state == "sent" and r.flow_id):
            connection = report.company_id._l10n_fr_pa_connection()
            try:
                flow = connection._get_flow_client().get_flow(report.flow_id)
            except AfnorError as error:
                self.env["l10n_fr_pa.messages"]._raise_user_error(error)
            report._apply_outcome(flow)
        return True

    def action_rectify(self):
        """A rectificative report of the same period with today's documents, ready to send."""
        self.ensure_one()
        if self.state not in ("sent", "accepted"):
            raise UserError(self.env._(
                "Only a sent report can be rectified; prepare and send this one instead."))
        rectificative = self.create({
            "company_id": self.company_id.id, "kind": self.kind, "report_type": "RE",
            "origin_id": self.id, "period_start": self.period_start,
            "period_end": self.period_end, "due_date": self.due_date})
        rectificative._prepare_one()
        return rectificative._get_form_action()

    def _get_form_action(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "current"}

    def action_view_moves(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": self.env._("Documents"),
                "res_model": "account.move", "view_mode": "list,form",
                "domain": [("id", "in", self.move_ids.ids)]}

    @api.model
    def _get_carrying_message(self, move):
        """Which e-reporting period will carry ``move`` (said in its chatter)."""
        company = move.company_id
        if not company.l10n_fr_pa_vat_regime:
            return self.env._("It must be e-reported: set the VAT regime of the company in "
                              "Settings > E-invoicing so that its e-reporting period is "
                              "prepared.")
        kind = "purchases_int" if move.is_purchase_document() else "sales_int"
        period = core.period_of(company.l10n_fr_pa_vat_regime, "transactions",
                                move.invoice_date or fields.Date.context_today(self))
        return self.env._(
            "It will be e-reported in %(kind)s of %(start)s - %(end)s, due on %(due)s "
            "(Accounting > Reporting > E-reporting).",
            kind=dict(self._fields["kind"]._description_selection(self.env))[kind],
            start=period.start, end=period.end, due=period.due)

    # ------------------------------------------------------------------ cron
    @api.model
    def _get_due_periods(self, company, today):
        """(kind, Period) of every closed period since the company's e-reporting start."""
        start = max(company.l10n_fr_pa_ereport_start or today, today - timedelta(days=120))
        return [(kind, period) for kind, _label in KINDS
                for period in core.closed_periods(company.l10n_fr_pa_vat_regime,
                                                  self._family(kind), start, today)]

    @api.model
    def _cron_prepare_and_send(self, today=None):
        """Prepare each closed period that has documents; send it when automatic."""
        today = today or fields.Date.context_today(self)
        companies = self.env["res.company"].search([("l10n_fr_pa_vat_regime", "!=", False)])
        for company in companies:
            if not company._l10n_fr_pa_connection(raise_if_missing=False):
                continue
            Report = self.with_company(company)
            for kind, period in Report._get_due_periods(company, today):
                report = Report._get_or_create(company, kind, period)
                if report.state in ("draft", "ready"):
                    report._prepare_one()
                    if not report.move_ids and report.state != "sent":
                        report.unlink()  # nothing to report for this period
                        continue
                if company.l10n_fr_pa_ereport_auto_send and report.state == "ready":
                    report._send_one()
            Report.search([("company_id", "=", company.id), ("state", "=", "sent")],
                          limit=BATCH_SIZE).action_check_status()


class L10nFrPaEreportLine(models.Model):
    _name = "l10n_fr_pa.ereport.line"
    _description = "E-report totals per day, category and rate"
    _order = "day, category, document, rate"

    report_id = fields.Many2one("l10n_fr_pa.ereport", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    day = fields.Date(string="Date")
    document = fields.Char()
    category = fields.Selection([("TLB1", "Goods"), ("TPS1", "Services"),
                                 ("TNT1", "Not taxed in France"), ("TMA1", "Margin scheme")])
    rate = fields.Float(string="VAT rate (%)", digits=(5, 2))
    amount_untaxed = fields.Monetary(string="Taxable amount")
    amount_tax = fields.Monetary(string="VAT")

