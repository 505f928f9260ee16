"""Checks of payment information and of declared totals against computed totals."""

from stdnum import bic as std_bic
from stdnum import exceptions as stdnum_errors
from stdnum import iban as std_iban

from .. import codes
from .totals import ZERO


def _bank_id(add, rule, fld, module, value, what):
    try:
        module.validate(value)
    except stdnum_errors.ValidationError:
        add(rule, fld, f"{value!r} is not a valid {what}; check the digits and the country "
            "code (spaces are allowed).")


def payment_problems(inv, totals, add):
    pay = inv.payment
    if totals.due_payable > 0 and not inv.due_date and not (pay and pay.terms):
        add("BR-CO-25", "due_date", "an amount is due: give the due date (BT-9) or payment "
            "terms (BT-20).")
    if inv.business_process in codes.ALREADY_PAID_PROCESSES:
        if totals.prepaid != totals.grand_total or totals.due_payable != 0:
            add("BR-FR-CO-09", "prepaid_amount", f"framework {inv.business_process} means "
                f"already paid: prepaid_amount must equal the total {totals.grand_total} and "
                "the amount due be 0.")
        if not inv.due_date:
            add("BR-FR-CO-09", "due_date", "an already paid invoice needs the payment date "
                "as due date.")
    if pay is None:
        return
    if pay.means_code not in codes.PAYMENT_MEANS:
        add("BR-CL-16", "payment.means_code", f"{pay.means_code!r} is not a supported payment "
            f"means; use one of {', '.join(codes.PAYMENT_MEANS)} (30 transfer, 58 SEPA "
            "transfer).")
    if pay.means_code in codes.TRANSFER_MEANS and not pay.iban:
        add("BR-61", "payment.iban", "a credit transfer needs the payee IBAN (BT-84).")
    if pay.iban and pay.means_code in codes.TRANSFER_MEANS:
        _bank_id(add, "BR-61", "payment.iban", std_iban, pay.iban, "IBAN")
    if pay.bic:
        _bank_id(add, "MODEL-BT-86", "payment.bic", std_bic, pay.bic, "BIC")
    if pay.means_code in codes.DIRECT_DEBIT_MEANS:
        if not pay.mandate_id:
            add("MODEL-BT-89", "payment.mandate_id", "a direct debit needs the mandate reference "
                "(BT-89).")
        if not pay.debtor_iban:
            add("MODEL-BT-91", "payment.debtor_iban", "a direct debit needs the debited account "
                "(BT-91).")


_TOTAL_RULES = (
    ("line_total", "BR-CO-10", "sum of line net amounts (BT-106)"),
    ("allowance_total", "BR-CO-11", "sum of document allowances (BT-107)"),
    ("charge_total", "BR-CO-12", "sum of document charges (BT-108)"),
    ("tax_basis_total", "BR-CO-13", "total without VAT (BT-109)"),
    ("tax_total", "BR-CO-14", "total VAT (BT-110)"),
    ("grand_total", "BR-CO-15", "total with VAT (BT-112)"),
    ("due_payable", "BR-CO-16", "amount due (BT-115)"),
)


def totals_problems(inv, totals, add):
    """Compare totals declared by a parsed document with the computed ones."""
    declared = inv.declared_totals
    if declared is None:
        return
    for name, rule, label in _TOTAL_RULES:
        stated = getattr(declared, name)
        computed = getattr(totals, name)
        if stated is None and computed == ZERO:
            continue
        if stated != computed:
            add(rule, f"totals.{name}", f"the document states {stated} as {label} but the "
                f"lines and allowances give {computed}.")
