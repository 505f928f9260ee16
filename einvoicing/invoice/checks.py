"""Business rules the model decides by itself, before any XML is built.

Each :class:`Problem` carries the official rule id (EN16931 ``BR-*``/``BR-CO-*``
or French ``BR-FR-*``), the field path and an English message saying what to
fix. The schematrons remain the judges of the XML; these checks give earlier,
clearer errors on the model.
"""

import re
from dataclasses import dataclass

from .. import codes
from ..identifiers import IdentifierError
from .parties import party_problems
from .payment import payment_problems, totals_problems
from .totals import vat_key
from .values import InvoiceError

_ID_FORMAT = re.compile(r"^[A-Za-z0-9+\-_/]+$")
_UNIT_FORMAT = re.compile(r"^[A-Z0-9]{1,3}$")


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str

    def __str__(self):
        return f"[{self.rule}] {self.field}: {self.message}"


def find_problems(inv):
    out = []

    def add(rule, fld, message):
        out.append(Problem(rule, fld, message))

    _document(inv, add)
    _notes(inv, add)
    party_problems(inv, add)
    _lines(inv, add)
    _allowances(inv, add)
    _payment_and_totals(inv, add)
    return out


def raise_if_problems(inv):
    problems = find_problems(inv)
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise InvoiceError(
            f"Invoice {inv.number!r} breaks {len(problems)} rule(s):\n{listing}",
            code="invoice_invalid", problems=[p.__dict__ for p in problems],
            rules=sorted({p.rule for p in problems}))


def _id_format(add, rule_len, rule_fmt, fld, value):
    if len(value) > 35:
        add(rule_len, fld, f"{value!r} is longer than 35 characters; shorten it.")
    if not _ID_FORMAT.match(value):
        add(rule_fmt, fld, f"{value!r} may only contain letters, digits and + - _ / "
            "(no spaces).")


def _document(inv, add):
    if inv.type_code not in codes.DOCUMENT_TYPES:
        add("BR-FR-04", "type_code", f"{inv.type_code!r} is not a document type allowed in "
            f"France; use one of {', '.join(codes.DOCUMENT_TYPES)} (380 invoice, 381 credit note).")
    _id_format(add, "BR-FR-01", "BR-FR-02", "number", inv.number)
    for name in ("issue_date", "due_date", "delivery_date", "period_start", "period_end"):
        value = getattr(inv, name)
        if value is not None and not 2000 <= value.year <= 2099:
            add("BR-FR-03", name, f"{value} must be a date between 2000 and 2099.")
    if inv.currency not in codes.currencies():
        add("BR-CL-04", "currency", f"{inv.currency!r} is not an ISO 4217 currency code "
            "(e.g. EUR, USD, CHF).")
    elif inv.currency != "EUR" and inv.tax_total_accounting is None:
        add("BR-FR-CO-12", "tax_total_accounting", f"the invoice is in {inv.currency}: give "
            "the VAT total in EUR (BT-111) as tax_total_accounting.")
    bp = inv.business_process
    if not bp:
        add("BR-FR-08", "business_process", "the billing framework (BT-23) is missing; use "
            "B1 (goods), S1 (services) or M1 (mixed), or another code of the French list.")
    elif bp not in codes.BUSINESS_PROCESSES:
        add("BR-FR-08", "business_process", f"{bp!r} is not a French billing framework; use "
            f"one of {', '.join(codes.BUSINESS_PROCESSES)}.")
    elif bp in codes.UNSUPPORTED_PROCESSES:
        add("BR-FR-MV-01", "business_process", f"{bp} (multi-vendor / bidirectional invoices) "
            "needs sub-invoice line groups that this model does not carry.")
    if inv.due_date and inv.due_date < inv.issue_date and not (
            inv.type_code in codes.PREPAYMENT_TYPES or bp in codes.ALREADY_PAID_PROCESSES):
        add("BR-FR-CO-07", "due_date", f"{inv.due_date} is before the issue date "
            f"{inv.issue_date}.")
    if inv.period_start and inv.period_end and inv.period_end < inv.period_start:
        add("BR-29", "period_end", f"{inv.period_end} is before period_start {inv.period_start}.")
    if inv.vat_due_date_code is not None and inv.vat_due_date_code not in codes.VAT_DUE_DATE_CODES:
        add("MODEL-BT-8", "vat_due_date_code", f"{inv.vat_due_date_code!r} is unknown; use 5 (VAT "
            "on debits), 29 (on the delivery date) or 72 (paid to date).")
    _preceding(inv, add)


def _preceding(inv, add):
    ref = inv.preceding_invoice
    if ref is not None:
        _id_format(add, "BR-FR-01", "BR-FR-02", "preceding_invoice.number", ref.number)
    if inv.type_code in codes.NEEDS_PRECEDING and (ref is None or ref.issue_date is None):
        rule = "BR-FR-CO-04" if inv.type_code in codes.CORRECTED_TYPES else "BR-FR-CO-05"
        add(rule, "preceding_invoice", f"a document of type {inv.type_code} must reference the "
            "preceding invoice (BT-25 number and BT-26 date).")
    if inv.type_code == "262" and not (
            inv.contract_reference and inv.period_start and inv.period_end):
        add("BR-FR-CO-03", "contract_reference", "a 262 credit note needs the contract "
            "reference (BT-12) and the billing period start and end (BG-14).")


def _notes(inv, add):
    for subject in codes.UNIQUE_NOTE_SUBJECTS:
        count = sum(1 for n in inv.notes if n.subject_code == subject)
        if subject in codes.MANDATORY_NOTE_SUBJECTS and count == 0:
            what = {"PMT": "the fixed recovery indemnity (40 EUR)",
                    "PMD": "the late payment penalties",
                    "AAB": "the early payment discount (or its absence)"}[subject]
            add("BR-FR-05", "notes", f"the note with subject code {subject} is missing: add "
                f"the legal mention on {what}.")
        if count > 1:
            add("BR-FR-06", "notes", f"subject code {subject} appears {count} times; keep one.")
    bars = [n.content for n in inv.notes if n.subject_code == "BAR"]
    if len(bars) > 1:
        add("BR-FR-31", "notes", f"{len(bars)} BAR notes; keep one.")
    for value in bars:
        if value not in codes.BAR_TREATMENTS:
            add("BR-FR-20", "notes", f"BAR note value {value!r} must be one of "
                f"{', '.join(codes.BAR_TREATMENTS)}.")


def _vat_problems(add, fld, category, rate, reason, reason_code, level):
    if category not in codes.VAT_CATEGORIES:
        add("BR-FR-15", f"{fld}.vat_category", f"{category!r} is not a VAT category used in "
            f"France; use one of {', '.join(codes.VAT_CATEGORIES)}.")
        return
    if category == "S" and (rate is None or rate <= 0):
        add("BR-S-05", f"{fld}.vat_rate", "a standard-rated (S) item needs a rate above 0.")
    elif category == "O" and rate is not None:
        add("BR-O-05", f"{fld}.vat_rate", "an item not subject to VAT (O) must have no rate.")
    elif category in codes.ZERO_RATE_CATEGORIES - {"O"} and rate not in (None, 0):
        add(f"BR-{category}-05", f"{fld}.vat_rate", f"category {category} has a 0 rate, "
            f"got {rate}.")
    if rate is not None and rate not in codes.FRENCH_VAT_RATES:
        hint = " (rates are percentages: 20 means 20 %)" if 0 < rate < 1 else ""
        add("BR-FR-16", f"{fld}.vat_rate", f"{rate} is not a French VAT rate{hint}; use e.g. "
            "20, 10, 5.5 or 2.1.")
    if level == "line":
        return
    needs = category in codes.NEEDS_EXEMPTION_REASON
    if needs and not (reason or reason_code):
        add(f"BR-{category}-10", f"{fld}.exemption_reason", f"category {category} needs an "
            "exemption reason (text, or a VATEX code such as VATEX-FR-FRANCHISE).")
    if not needs and (reason or reason_code):
        add(f"BR-{category}-10", f"{fld}.exemption_reason", f"category {category} must not "
            "carry an exemption reason.")


def _decimals(add, rule, fld, value, places, positive=False):
    if value is None:
        return
    if -value.as_tuple().exponent > places:
        add(rule, fld, f"{value} has more than {places} decimals.")
    if positive and value < 0:
        add(rule, fld, f"{value} must not be negative.")


def _lines(inv, add):
    seen = set()
    for i, line in enumerate(inv.lines):
        fld = f"lines[{i}]"
        if line.id in seen:
            add("MODEL-BT-126", f"{fld}.id", f"line id {line.id!r} is used twice.")
        seen.add(line.id)
        _decimals(add, "BR-FR-DEC-02", f"{fld}.quantity", line.quantity, 4)
        _decimals(add, "BR-FR-DEC-03", f"{fld}.unit_price", line.unit_price, 6, positive=True)
        if not _UNIT_FORMAT.match(line.unit_code or ""):
            add("BR-CL-23", f"{fld}.unit_code", f"{line.unit_code!r} is not a UN/ECE Rec 20 "
                "unit code; use e.g. C62 (unit), HUR (hour), DAY, KGM, MTR.")
        if line.base_quantity is not None and line.base_quantity <= 0:
            add("MODEL-BT-149", f"{fld}.base_quantity", "must be above 0.")
        _stated_line_total(add, fld, line)
        _vat_problems(add, fld, line.vat_category, line.vat_rate, line.exemption_reason,
                      line.exemption_reason_code, "group")
        for j, adj in enumerate(line.allowances_charges):
            _adjustment_problems(add, f"{fld}.allowances_charges[{j}]", adj, "BR-41", "BR-43",
                                 "BR-42", "BR-44")
    _exemption_consistency(inv, add)


def _stated_line_total(add, fld, line):
    if line.line_total is None:
        return
    try:
        computed = line.computed_net_amount()
    except InvoiceError:
        return  # the allowance problem itself is reported
    if line.line_total != computed:
        add("MODEL-BT-131", f"{fld}.line_total", f"the document states {line.line_total} but "
            f"quantity x price - allowances + charges gives {computed}.")


def _exemption_consistency(inv, add):
    reasons = {}
    for i, line in enumerate(inv.lines):
        key = vat_key(line.vat_category, line.vat_rate)
        pair = (line.exemption_reason, line.exemption_reason_code)
        if pair != (None, None) and reasons.setdefault(key, pair) != pair:
            add("MODEL-BT-120", f"lines[{i}].exemption_reason", "lines of the same VAT "
                "category and rate must share one exemption reason (stated once per VAT "
                "breakdown).")
    categories = {line.vat_category for line in inv.lines}
    if "O" in categories and len(categories) > 1:
        add("BR-O-11", "lines", "an invoice with a line not subject to VAT (O) may not contain "
            "other VAT categories.")


def _adjustment_problems(add, fld, adj, amount_a, amount_c, reason_a, reason_c):
    if adj.amount is None and adj.percent is None:
        add(amount_c if adj.charge else amount_a, f"{fld}.amount",
            "give an amount, or a percent (of base_amount).")
    if not (adj.reason or adj.reason_code):
        add(reason_c if adj.charge else reason_a, f"{fld}.reason",
            "an allowance or charge needs a reason text or a reason code.")
    _decimals(add, "BR-FR-DEC-01", f"{fld}.amount", adj.amount, 2, positive=True)
    _decimals(add, "BR-FR-DEC-01", f"{fld}.base_amount", adj.base_amount, 2)


def _allowances(inv, add):
    for i, adj in enumerate(inv.allowances_charges):
        fld = f"allowances_charges[{i}]"
        _adjustment_problems(add, fld, adj, "BR-31", "BR-36", "BR-33", "BR-38")
        if not adj.vat_category:
            add("BR-32" if not adj.charge else "BR-37", f"{fld}.vat_category",
                "a document-level allowance or charge needs a VAT category.")
        else:
            _vat_problems(add, fld, adj.vat_category.upper(), adj.vat_rate, None, None, "line")


def _payment_and_totals(inv, add):
    try:
        totals = inv.totals()
    except InvoiceError as exc:
        add("MODEL-BG-20", "allowances_charges", str(exc))
        return
    payment_problems(inv, totals, add)
    totals_problems(inv, totals, add)


__all__ = ["IdentifierError", "Problem", "find_problems", "raise_if_problems"]
