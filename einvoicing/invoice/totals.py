"""EN16931 calculation rules (rounding to the cent, half up).

- line gross = round(quantity x unit price / base quantity, 2)
- line allowance in percent = round(base x percent / 100, 2), base = line gross
- BT-131 line net = line gross - line allowances + line charges
- a line total stated by a parsed document (``Line.line_total``) is used as is
- BT-106 = sum of BT-131; BT-107 / BT-108 = sums of document allowances / charges
  (a document allowance in percent applies by default to the sum of the line
  net amounts of its own VAT category and rate)
- BT-116 per VAT category and rate = lines - allowances + charges of that group;
  BT-117 = round(BT-116 x rate / 100, 2) (BR-CO-17); BT-110 = sum of BT-117
- BT-109 = BT-106 - BT-107 + BT-108; BT-112 = BT-109 + BT-110;
  BT-115 = BT-112 - BT-113 + BT-114
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class VatBreakdown:
    category: str
    rate: Decimal | None
    basis: Decimal
    tax: Decimal
    exemption_reason: str | None = None
    exemption_reason_code: str | None = None


@dataclass
class Totals:
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_basis_total: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    grand_total: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    due_payable: Decimal  # BT-115
    vat_breakdown: list[VatBreakdown] = field(default_factory=list)


def money(value):
    """Round to the cent, half up (EN16931 amounts have 2 decimals)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_gross(line):
    base_quantity = line.base_quantity or Decimal(1)
    return money(line.quantity * line.unit_price / base_quantity)


def _sum_adjustments(items, default_base, charge):
    return sum((money(a.actual_amount(default_base)) for a in items if a.charge is charge), ZERO)


def line_net(line):
    """Computed BT-131 (ignores a stated ``line_total``)."""
    gross = line_gross(line)
    allowances = _sum_adjustments(line.allowances_charges, gross, charge=False)
    charges = _sum_adjustments(line.allowances_charges, gross, charge=True)
    return gross - allowances + charges


def vat_key(category, rate):
    """Group key of the VAT breakdown: category 'O' has no rate, other zero-rated 0."""
    category = (category or "").upper()
    if category == "O":
        return category, None
    return category, Decimal(rate if rate is not None else 0).quantize(CENT)


def _group_bases(invoice):
    """Sum of line net amounts per VAT key, in line order."""
    bases = {}
    for line in invoice.lines:
        key = vat_key(line.vat_category, line.vat_rate)
        bases[key] = bases.get(key, ZERO) + line.net_amount()
    return bases


def group_basis(invoice, category, rate):
    """Sum of the line net amounts of one VAT category and rate (the default base of a
    document allowance or charge in percent)."""
    return _group_bases(invoice).get(vat_key(category, rate), ZERO)


def document_adjustment_amount(invoice, adjustment, bases=None):
    bases = _group_bases(invoice) if bases is None else bases
    key = vat_key(adjustment.vat_category, adjustment.vat_rate)
    return money(adjustment.actual_amount(bases.get(key, ZERO)))


def _exemption(invoice, key):
    for line in invoice.lines:
        if vat_key(line.vat_category, line.vat_rate) == key and (
                line.exemption_reason or line.exemption_reason_code):
            return line.exemption_reason, line.exemption_reason_code
    return None, None


def compute_totals(invoice):
    bases = _group_bases(invoice)
    line_total = sum(bases.values(), ZERO)
    group_basis = dict(bases)
    allowance_total = charge_total = ZERO
    for adjustment in invoice.allowances_charges:
        amount = document_adjustment_amount(invoice, adjustment, bases)
        key = vat_key(adjustment.vat_category, adjustment.vat_rate)
        sign = 1 if adjustment.charge else -1
        group_basis[key] = group_basis.get(key, ZERO) + sign * amount
        if adjustment.charge:
            charge_total += amount
        else:
            allowance_total += amount
    breakdown = []
    for (category, rate), basis in group_basis.items():
        tax = money(basis * rate / 100) if rate is not None else ZERO
        reason, reason_code = _exemption(invoice, (category, rate))
        breakdown.append(VatBreakdown(category, rate, money(basis), tax, reason, reason_code))
    tax_total = sum((b.tax for b in breakdown), ZERO)
    tax_basis = line_total - allowance_total + charge_total
    grand = tax_basis + tax_total
    prepaid = money(invoice.prepaid_amount or 0)
    rounding = money(invoice.rounding_amount or 0)
    return Totals(
        line_total=money(line_total), allowance_total=money(allowance_total),
        charge_total=money(charge_total), tax_basis_total=money(tax_basis),
        tax_total=money(tax_total), grand_total=money(grand), prepaid=prepaid,
        rounding=rounding, due_payable=money(grand - prepaid + rounding),
        vat_breakdown=breakdown,
    )


# Business terms of the document totals, in the order of EN16931 BG-22.
TOTAL_TERMS = (
    ("line_total", "BT-106"), ("allowance_total", "BT-107"), ("charge_total", "BT-108"),
    ("tax_basis_total", "BT-109"), ("tax_total", "BT-110"), ("grand_total", "BT-112"),
    ("prepaid", "BT-113"), ("rounding", "BT-114"), ("due_payable", "BT-115"),
)


def totals_differences(computed, stated):
    """Where a document's stated totals differ from the computed ones: a list of dicts
    ``{"term", "field", "computed", "stated"}`` (VAT groups as ``vat[S 20.00].basis``
    BT-116 / ``.tax`` BT-117); empty when they agree or nothing is stated."""
    if stated is None:
        return []
    diffs = [
        {"term": term, "field": name, "computed": getattr(computed, name),
         "stated": getattr(stated, name)}
        for name, term in TOTAL_TERMS if getattr(computed, name) != getattr(stated, name)
    ]
    mine = {vat_key(b.category, b.rate): b for b in computed.vat_breakdown}
    theirs = {vat_key(b.category, b.rate): b for b in stated.vat_breakdown}
    for key in [*mine, *(k for k in theirs if k not in mine)]:
        label = f"vat[{key[0]}{'' if key[1] is None else f' {key[1]}'}]"
        for attr, term in (("basis", "BT-116"), ("tax", "BT-117")):
            ours = getattr(mine[key], attr) if key in mine else None
            stated_value = getattr(theirs[key], attr) if key in theirs else None
            if ours != stated_value:
                diffs.append({"term": term, "field": f"{label}.{attr}", "computed": ours,
                              "stated": stated_value})
    return diffs
