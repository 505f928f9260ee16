"""Code lists used by the invoice model (EN16931 + French CTC rules).

ISO currency and country codes are read once from the official UN/CEFACT
code-list XSDs vendored in :mod:`einvoicing.standards`; the French lists
(document types, billing frameworks, VAT rates) are those of the BR-FR
schematron (``BR-FR-Flux2-Schematron-CII.xslt``, V1.4).
"""

from decimal import Decimal
from functools import lru_cache

from lxml import etree

from .standards import STANDARDS_DIR

_XSD_DIR = STANDARDS_DIR / "cii" / "xsd"
_XS = "{http://www.w3.org/2001/XMLSchema}enumeration"

# BR-FR-04: BT-3 codes allowed in French flows.
DOCUMENT_TYPES = {
    "380": "Commercial invoice",
    "389": "Self-billed invoice",
    "393": "Factored invoice",
    "501": "Self-billed factored invoice",
    "386": "Prepayment invoice",
    "500": "Self-billed prepayment invoice",
    "384": "Corrected invoice",
    "471": "Self-billed corrected invoice",
    "472": "Factored corrected invoice",
    "473": "Self-billed factored corrected invoice",
    "261": "Self-billed credit note",
    "262": "Consolidated credit note (global discount)",
    "381": "Credit note",
    "396": "Factored credit note",
    "502": "Self-billed factored credit note",
    "503": "Prepayment credit note",
}
CREDIT_NOTE_TYPES = frozenset({"261", "262", "381", "396", "502", "503"})
# BR-FR-CO-04: corrected invoices need exactly one preceding invoice (BT-25/26).
CORRECTED_TYPES = frozenset({"384", "471", "472", "473"})
# BR-FR-CO-05: credit notes need a preceding invoice reference.
NEEDS_PRECEDING = frozenset({"261", "381", "396", "502", "503"}) | CORRECTED_TYPES
SELF_BILLED_TYPES = frozenset({"389", "501", "500", "471", "473", "261", "502"})
PREPAYMENT_TYPES = frozenset({"386", "500", "503"})

# BR-FR-08: BT-23 billing framework (cadre de facturation).
# B = goods, S = services, M = mixed; 1 = plain invoice, 2 = already paid,
# 4 = final invoice after prepayment, 7 = VAT already collected, ... (XP Z12-012).
BUSINESS_PROCESSES = (
    "B1", "S1", "M1", "B2", "S2", "M2", "S3", "B4", "S4", "M4",
    "S5", "S6", "B7", "S7", "B8", "S8", "M8", "B9", "S9", "M9",
)
ALREADY_PAID_PROCESSES = frozenset({"B2", "S2", "M2"})
# The multi-vendor (8) and bidirectional (9) frameworks need sub-invoice line
# groups that this model does not carry.
UNSUPPORTED_PROCESSES = frozenset({"B8", "S8", "M8", "B9", "S9", "M9"})

# BR-FR-15 (UNTDID 5305 subset relevant in France).
VAT_CATEGORIES = {
    "S": "Standard rate",
    "Z": "Zero rated goods",
    "E": "Exempt from VAT",
    "AE": "VAT reverse charge",
    "K": "Intra-community supply (VAT exempt)",
    "G": "Export outside the EU (VAT exempt)",
    "O": "Services outside scope of tax",
}
ZERO_RATE_CATEGORIES = frozenset({"Z", "E", "AE", "K", "G", "O"})
NEEDS_EXEMPTION_REASON = frozenset({"E", "AE", "K", "G", "O"})

# BR-FR-16: VAT rates (percent) allowed in France, mainland and overseas.
FRENCH_VAT_RATES = frozenset(Decimal(r) for r in (
    "0", "10", "13", "20", "8.5", "19.6", "2.1", "5.5", "7", "20.6",
    "1.05", "0.9", "1.75", "9.2", "9.6",
))

# BR-FR-05: mandatory notes; BR-FR-06: each at most once (TXD too).
MANDATORY_NOTE_SUBJECTS = ("PMT", "PMD", "AAB")
UNIQUE_NOTE_SUBJECTS = ("PMT", "PMD", "AAB", "TXD")
# BR-FR-20: values of the BAR note (treatment of the invoice).
BAR_TREATMENTS = ("B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY")

# BT-8 (CII DueDateTypeCode, UNTDID 2475): when VAT becomes due. The CEN rule BR-CL-06
# allows 5, 29 and 72 in CII.
VAT_DUE_DATE_CODES = {
    "5": "Invoice issue date (VAT on debits)",
    "29": "Delivery date",
    "72": "Paid to date (VAT on receipts)",
}
VAT_ON_DEBITS = "5"
VAT_ON_DELIVERY = "29"
VAT_ON_RECEIPTS = "72"
# UBL writes the same term with UNTDID 2005 (BR-CL-06 for UBL: 3, 35, 432):
# 3 = invoice date, 35 = delivery date, 432 = paid to date.
VAT_DUE_DATE_UBL = {"5": "3", "29": "35", "72": "432"}

# BT-81 payment means supported for French B2B (UNTDID 4461 subset).
PAYMENT_MEANS = {
    "10": "Cash",
    "20": "Cheque",
    "30": "Credit transfer",
    "42": "Payment to bank account",
    "48": "Bank card",
    "49": "Direct debit",
    "57": "Standing agreement",
    "58": "SEPA credit transfer",
    "59": "SEPA direct debit",
    "97": "Clearing between partners",
    "ZZZ": "Mutually defined",
}
TRANSFER_MEANS = frozenset({"30", "42", "58"})
DIRECT_DEBIT_MEANS = frozenset({"49", "59"})

# Unit names of the Qonto seed mapped to UN/ECE Recommendation 20 codes.
UNIT_NAMES = {
    "unit": "C62", "hour": "HUR", "day": "DAY", "month": "MON", "gram": "GRM",
    "kilogram": "KGM", "liter": "LTR", "meter": "MTR", "square_meter": "MTK",
    "cubic_meter": "MTQ", "ampere": "AMP", "number_of_articles": "NAR",
    "centimeter": "CMT", "cubic_meter_per_hour": "MQH", "gigajoule": "GV",
    "gigawatt": "A90", "gigawatt_hour": "GWH", "half_year": "SAN", "joule": "JOU",
    "kilojoule": "KJO", "kilovar": "KVR", "kilovolt_ampere_reactive_hour": "K3",
    "kilowatt": "KWT", "kilowatt_hour": "KWH", "megajoule": "3B", "megawatt": "MAW",
    "megawatt_hour": "MWH", "milligram": "MGM", "milliliter": "MLT",
    "millimeter": "MMT", "minute": "MIN", "pair": "PR", "quarter": "QAN",
    "second": "SEC", "set": "SET", "ton": "TNE",
    "watt_hour": "WHR", "week": "WEE", "year": "ANN", "piece": "H87",
    "custom_input_text": "ZZ",
}
# Not mapped: "two_week" (W4 is not in the Rec 20/21 list of BR-CL-23).

# Codes of the UN/CEFACT XSD lists that the official rules refuse: withdrawn currencies
# (not in the Factur-X codedb) and STN / SS, absent from the CEN 1.3.16 lists (BR-CL-04,
# BR-CL-14). tests/test_code_lists.py checks both lists against the rules.
_REFUSED_CURRENCIES = frozenset({"ANG", "BGN", "CUC", "HRK", "ZWL", "STN"})
_REFUSED_COUNTRIES = frozenset({"SS"})


def _enumeration(filename):
    tree = etree.parse(str(_XSD_DIR / filename))
    return frozenset(e.get("value") for e in tree.iter(_XS))


@lru_cache(maxsize=1)
def currencies():
    """ISO 4217 alphabetic codes (from the official CII code-list XSD)."""
    return _enumeration(
        "CrossIndustryInvoice_100pD22B_urn_un_unece_uncefact_codelist_standard_"
        "ISO_ISO3AlphaCurrencyCode_2012-08-31.xsd"
    ) - _REFUSED_CURRENCIES


@lru_cache(maxsize=1)
def countries():
    """ISO 3166-1 alpha-2 codes (from the official CII identifier-list XSD)."""
    return _enumeration(
        "CrossIndustryInvoice_100pD22B_urn_un_unece_uncefact_identifierlist_standard_"
        "ISO_ISOTwo-letterCountryCode_SecondEdition2006.xsd"
    ) - _REFUSED_COUNTRIES


def code_number(text, max_digits=9):
    """``text`` as an int when it is 1 to ``max_digits`` ASCII digits, else None.

    Never raises: ``str.isdigit`` alone lets through "²" and 5,000-digit strings, which
    ``int()`` refuses with a ValueError.
    """
    text = str(text).strip()
    if text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None
