"""Characteristics of a lifecycle status (CDAR MDG-43, code list BR-FR-CDV-CL-11).

A status can carry typed values: amounts (approved, not approved, paid, received,
discounts), and "data in error" lines (the invoiced value DIV of a business term and
the value expected DVA; MAJ the completed value a 209 brings). Each one is a
:class:`Characteristic`; :func:`data_error` builds the DIV/DVA pair a buyer sends with a
207 or 208, :func:`describe` says one in words ("Unit price of line 3, expected 9.50 EUR").
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from ..codes import currencies
from .payment import LifecycleError, max_two_decimals, to_decimal


@dataclass(frozen=True)
class CharacteristicType:
    code: str
    label_en: str
    label_fr: str
    kind: str  # "amount" (MDT-215 amount + currency) or "data" (a business term's value)


_TYPES = (
    ("MEN", "Amount received", "Montant encaissé", "amount"),
    ("MPA", "Amount paid", "Montant payé", "amount"),
    ("RAP", "Amount remaining to be paid", "Reste à payer", "amount"),
    ("ESC", "Early payment discount", "Escompte", "amount"),
    ("RAB", "Rebate", "Rabais", "amount"),
    ("REM", "Discount", "Remise", "amount"),
    ("MAP", "Approved amount (excl. VAT)", "Montant approuvé HT", "amount"),
    ("MAPTTC", "Approved amount (incl. VAT)", "Montant approuvé TTC", "amount"),
    ("MNA", "Amount not approved (excl. VAT)", "Montant non approuvé HT", "amount"),
    ("MNATTC", "Amount not approved (incl. VAT)", "Montant non approuvé TTC", "amount"),
    ("CBB", "Bank details of the payee", "Coordonnées bancaires du bénéficiaire", "data"),
    ("DIV", "Invalid data (as invoiced)", "Donnée invalide (facturée)", "data"),
    ("DVA", "Expected value", "Donnée valide attendue", "data"),
    ("MAJ", "Completed data", "Donnée mise à jour", "data"),
)
CHARACTERISTIC_TYPES = {code: CharacteristicType(code, en, fr, kind)
                        for code, en, fr, kind in _TYPES}
_DISCOUNTS = {"ESC", "RAB", "REM"}
_APPROVAL = {"MAP", "MAPTTC", "MNA", "MNATTC"}
_DATA = {"DIV", "DVA"}
# Which characteristics each status may carry (MEN / MPA travel as PaymentAmount).
STATUS_CHARACTERISTICS = {
    206: _APPROVAL | _DISCOUNTS | _DATA,
    207: _APPROVAL | _DISCOUNTS | _DATA,
    208: _DATA | {"CBB"},
    209: {"MAJ", "DVA", "CBB"},
    211: {"RAP"} | _DISCOUNTS,
    212: {"RAP"} | _DISCOUNTS,
}

_CII_LINE = ("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
             "ram:IncludedSupplyChainTradeLineItem")
_CII_HEADER = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
_SETTLEMENT = _CII_HEADER + "ram:ApplicableHeaderTradeSettlement/"
_TOTALS = _SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
# Business terms a dispute usually names: (English name, French name, value kind, CII path).
# Line-level paths get "[n]" after the line element when a line number is given.
BUSINESS_TERMS = {
    "BT-1": ("Invoice number", "Numéro de facture", "text",
             "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"),
    "BT-9": ("Payment due date", "Date d'échéance", "text",
             _SETTLEMENT + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"),
    "BT-10": ("Buyer reference", "Référence acheteur", "text",
              _CII_HEADER + "ram:ApplicableHeaderTradeAgreement/ram:BuyerReference"),
    "BT-13": ("Purchase order reference", "Référence de bon de commande", "text",
              _CII_HEADER + "ram:ApplicableHeaderTradeAgreement/"
              "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
    "BT-84": ("Payment account (IBAN)", "Compte de paiement (IBAN)", "text",
              _SETTLEMENT + "ram:SpecifiedTradeSettlementPaymentMeans/"
              "ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
    "BT-109": ("Total without VAT", "Total HT", "amount", _TOTALS + "ram:TaxBasisTotalAmount"),
    "BT-110": ("Total VAT", "Total TVA", "amount", _TOTALS + "ram:TaxTotalAmount"),
    "BT-112": ("Total with VAT", "Total TTC", "amount", _TOTALS + "ram:GrandTotalAmount"),
    "BT-115": ("Amount due", "Montant à payer", "amount", _TOTALS + "ram:DuePayableAmount"),
    "BT-119": ("VAT rate", "Taux de TVA", "percent",
               _SETTLEMENT + "ram:ApplicableTradeTax/ram:RateApplicablePercent"),
    "BT-129": ("Quantity", "Quantité", "text",
               _CII_LINE + "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
    "BT-131": ("Line net amount", "Montant net de ligne", "amount",
               _CII_LINE + "/ram:SpecifiedLineTradeSettlement/"
               "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
    "BT-146": ("Unit price", "Prix unitaire", "amount",
               _CII_LINE + "/ram:SpecifiedLineTradeAgreement/"
               "ram:NetPriceProductTradePrice/ram:ChargeAmount"),
    "BT-152": ("VAT rate", "Taux TVA", "percent",
               _CII_LINE + "/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
               "ram:RateApplicablePercent"),
    "BT-153": ("Item name", "Désignation", "text",
               _CII_LINE + "/ram:SpecifiedTradeProduct/ram:Name"),
}
_LINE_IN_PATH = re.compile(r"IncludedSupplyChainTradeLineItem\[(\d+)\]")
_TERM = re.compile(r"^B[TG]-\d+(-\d+)?$")


def _optional_text(value, what, max_len=1024):
    text = "" if value is None else str(value).strip()
    if len(text) > max_len:
        raise LifecycleError(f"{what} is longer than {max_len} characters.",
                             code="characteristic_text_long", field=what)
    return text or None


@dataclass
class Characteristic:
    """One MDG-43 block: a typed amount, percentage or value, optionally about a business term.

    ``data_id`` is MDT-206 (e.g. "BT-146"), ``name`` MDT-211, ``location`` MDT-213 (the
    XPath of the data in the invoice), ``description`` a comment; ``amount``/``currency``
    MDT-215, ``percent`` MDT-224, ``value`` a text value; ``changed`` MDT-209.
    """

    type_code: str
    amount: Decimal | None = None
    currency: str | None = None
    percent: Decimal | None = None
    value: str | None = None
    data_id: str | None = None
    name: str | None = None
    location: str | None = None
    description: str | None = None
    changed: bool | None = None

    def __post_init__(self):
        code = str(self.type_code or "").strip().upper()
        if code not in CHARACTERISTIC_TYPES:
            raise LifecycleError(
                f"Characteristic type {self.type_code!r} is not in the code list BR-FR-CDV-CL-11 "
                f"({', '.join(CHARACTERISTIC_TYPES)}).",
                code="characteristic_type_unknown", value=str(self.type_code))
        self.type_code = code
        if self.amount is not None:
            number = to_decimal(self.amount, f"{code} amount")
            self.amount = max_two_decimals(number, f"{code} amount", self.amount)
            currency = str(self.currency or "").strip().upper()
            if currency not in currencies():
                raise LifecycleError(
                    f"{code} amount {self.amount}: currency {self.currency!r} is not an ISO 4217 "
                    "code; use a 3-letter code such as EUR.",
                    code="currency_invalid", value=str(self.currency))
            self.currency = currency
        if self.percent is not None:
            self.percent = to_decimal(self.percent, f"{code} percentage").quantize(Decimal("0.01"))
        for attr, max_len in (("value", 1024), ("name", 200), ("location", 1024),
                              ("description", 1024), ("data_id", 40)):
            setattr(self, attr, _optional_text(getattr(self, attr), f"{code} {attr}", max_len))
        if self.data_id and not _TERM.match(self.data_id.upper()):
            raise LifecycleError(
                f"{code}: business term {self.data_id!r} must look like BT-146 or BG-25.",
                code="characteristic_term_invalid", value=self.data_id)
        self.data_id = self.data_id.upper() if self.data_id else None
        kind = CHARACTERISTIC_TYPES[code].kind
        if kind == "amount" and self.amount is None:
            raise LifecycleError(f"{code} ({CHARACTERISTIC_TYPES[code].label_en}) needs an "
                                 "amount and its currency.", code="characteristic_amount_missing")
        if kind == "data" and self.amount is None and self.percent is None and not self.value:
            raise LifecycleError(f"{code} ({CHARACTERISTIC_TYPES[code].label_en}) needs a value "
                                 "(text, amount or percentage).",
                                 code="characteristic_value_missing")

    @property
    def line(self):
        """The invoice line number written in ``location`` (…LineItem[3]…), if any."""
        found = _LINE_IN_PATH.search(self.location or "")
        return int(found.group(1)) if found else None

    def shown_value(self):
        if self.percent is not None:
            return f"{self.percent} %"
        if self.amount is not None:
            return f"{self.amount} {self.currency}"
        return self.value

    def to_dict(self):
        return {
            "type_code": self.type_code,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "percent": str(self.percent) if self.percent is not None else None,
            "value": self.value, "data_id": self.data_id, "name": self.name,
            "location": self.location, "description": self.description, "changed": self.changed,
        }

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise LifecycleError("A characteristic must be a JSON object with a type_code.",
                                 code="characteristic_type")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise LifecycleError(f"Unknown characteristic field(s): {', '.join(unknown)}; "
                                 f"use {', '.join(sorted(known))}.",
                                 code="characteristic_field_unknown")
        return cls(**data)


def term_location(data_id, line=None):
    """The CII XPath of a business term (with ``[line]`` on line-level terms), or None."""
    known = BUSINESS_TERMS.get(str(data_id or "").upper())
    if not known:
        return None
    path = known[3]
    if line is not None and "IncludedSupplyChainTradeLineItem" in path:
        path = path.replace("IncludedSupplyChainTradeLineItem",
                            f"IncludedSupplyChainTradeLineItem[{int(line)}]", 1)
    return path


def _typed_value(kind, raw, currency):
    """{"amount"/"percent"/"value": ...} for a value given as text."""
    text = str(raw).strip()
    if kind in ("amount", "percent"):
        try:
            number = Decimal(text)
        except ArithmeticError:
            number = None
        if number is not None and number.is_finite():
            if kind == "percent":
                return {"percent": number}
            return {"amount": number, "currency": currency or "EUR"}
    return {"value": text}


def data_error(data_id, expected, invoiced=None, line=None, comment=None, currency=None,
               name=None, location=None, completed=False):
    """The characteristics saying that business term ``data_id`` is wrong.

    Returns [DIV (invoiced value, when given), DVA (expected value)], or [MAJ] when
    ``completed`` (the supplier's completed data of a 209). Values are typed by the term
    (amount, percentage or text); ``line`` points the location at that invoice line.
    """
    term = str(data_id or "").strip().upper()
    label_en, label_fr, kind, _path = BUSINESS_TERMS.get(term, (None, None, "text", None))
    common = {"data_id": term or None, "name": name or label_fr,
              "location": location or term_location(term, line) or (
                  f"line {int(line)}" if line is not None else None),
              "changed": True}
    if completed:
        return [Characteristic("MAJ", description=comment, **common,
                               **_typed_value(kind, expected, currency))]
    lines = []
    if invoiced not in (None, ""):
        lines.append(Characteristic("DIV", **common, **_typed_value(kind, invoiced, currency)))
    lines.append(Characteristic("DVA", description=comment, **common,
                                **_typed_value(kind, expected, currency)))
    return lines


def term_label(data_id, lang="en"):
    known = BUSINESS_TERMS.get(str(data_id or "").upper())
    if not known:
        return data_id
    return known[0] if lang == "en" else known[1]


def describe(item, lang="en"):
    """One characteristic in words: "Unit price of line 3, expected 9.50 EUR"."""
    kind = CHARACTERISTIC_TYPES[item.type_code]
    if item.type_code in ("DIV", "DVA", "MAJ") and (item.data_id or item.name):
        subject = term_label(item.data_id, lang) if item.data_id in BUSINESS_TERMS else (
            item.name or item.data_id)
        if item.line:
            subject += f" of line {item.line}" if lang == "en" else f" de la ligne {item.line}"
        verb = {"DIV": ("invoiced", "facturé"), "DVA": ("expected", "attendu"),
                "MAJ": ("completed", "complété")}[item.type_code][0 if lang == "en" else 1]
        text = f"{subject}, {verb} {item.shown_value()}"
    else:
        label = kind.label_en if lang == "en" else kind.label_fr
        text = f"{label}: {item.shown_value()}"
        if item.percent is not None and item.amount is not None:
            text = f"{label}: {item.amount} {item.currency} ({item.percent} %)"
    return f"{text} ({item.description})" if item.description else text


def check_characteristics(status, items):
    """Validate the characteristics a status carries (per STATUS_CHARACTERISTICS)."""
    items = list(items or [])
    allowed = STATUS_CHARACTERISTICS.get(status.code, set())
    for item in items:
        if not isinstance(item, Characteristic):
            raise LifecycleError(f"Characteristics must be Characteristic objects, got "
                                 f"{type(item).__name__}.", code="characteristic_type")
        if item.type_code not in allowed:
            hint = (f"it carries: {', '.join(sorted(allowed))}" if allowed
                    else "it carries no characteristic")
            raise LifecycleError(
                f"Status {status.code} ({status.label_en}) cannot carry {item.type_code} "
                f"({CHARACTERISTIC_TYPES[item.type_code].label_en}); {hint}.",
                code="characteristic_not_allowed", status=status.code, value=item.type_code)
    return items
