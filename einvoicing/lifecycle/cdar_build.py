"""Build a CDAR D22B lifecycle message from a :class:`StatusMessage`."""

from lxml import etree

from .cdar_model import (
    ADDRESS_SCHEME,
    BUSINESS_PROCESS,
    DOCUMENT_STATUS_CODES,
    GUIDELINE,
    NS,
    PAYMENT_TYPE_CODES,
    ROLE_CODES,
    ROOT_TAG,
    SIREN_SCHEME,
    TYPE_PROCESSING,
    TYPE_TRANSMISSION,
    validated,
)
from .characteristics import Characteristic

_FORMAT_DATETIME, _FORMAT_DATE = "204", "102"  # CCYYMMDDHHMMSS (UTC), CCYYMMDD
_SELLER_SIDE_ONLY = (200, 201)  # set by the sending platform before the buyer is involved


def _sub(parent, tag, text=None, **attrib):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrib)
    if text is not None:
        element.text = str(text)
    return element


def _datetime(parent, tag, moment):
    wrapper = _sub(parent, tag)
    _sub(wrapper, "udt:DateTimeString", moment.strftime("%Y%m%d%H%M%S"), format=_FORMAT_DATETIME)


def _party(parent, tag, role, siren=None, name=None, address=None):
    party = _sub(parent, tag)
    if siren:
        _sub(party, "ram:GlobalID", siren, schemeID=SIREN_SCHEME)
    if name:
        _sub(party, "ram:Name", name)
    _sub(party, "ram:RoleCode", ROLE_CODES[role])
    if address:
        uri = _sub(party, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", address, schemeID=ADDRESS_SCHEME)
    return party


def _exchanged_document(root, msg, v):
    status = v["status"]
    doc = _sub(root, "rsm:ExchangedDocument")
    _sub(doc, "ram:ID", v["message_id"])
    _sub(doc, "ram:Name", f"CDV-{status.code}_{status.label_fr}")
    _datetime(doc, "ram:IssueDateTime", v["issued_at"])
    _party(doc, "ram:SenderTradeParty", "platform")
    role = msg.issuer_role
    if role == "platform":
        _party(doc, "ram:IssuerTradeParty", "platform")
    else:
        siren = v["seller"] if role == "supplier" else v["buyer"]
        name = v["seller_name"] if role == "supplier" else v["buyer_name"]
        _party(doc, "ram:IssuerTradeParty", role, siren, name)
    if role == "supplier":
        _party(doc, "ram:RecipientTradeParty", "buyer", v["buyer"], v["buyer_name"], v["address"])
    else:
        _party(doc, "ram:RecipientTradeParty", "supplier", v["seller"], v["seller_name"],
               v["address"])
    if role == "platform" and v["buyer"] and v["status"].code not in _SELLER_SIDE_ONLY:
        # Statuses of the receiving platform also go to the buyer (XP Z12-014 UC1_02/03).
        _party(doc, "ram:RecipientTradeParty", "buyer", v["buyer"], v["buyer_name"],
               v["buyer_address"])


def _characteristic(detail, item):
    """One MDG-43 block, in the XSD order of DocumentCharacteristicType."""
    line = _sub(detail, "ram:SpecifiedDocumentCharacteristic")
    if item.data_id:
        _sub(line, "ram:ID", item.data_id)  # MDT-206
    _sub(line, "ram:TypeCode", item.type_code)  # MDT-207
    if item.changed is not None:
        changed = _sub(line, "ram:ValueChangedIndicator")  # MDT-209
        _sub(changed, "udt:IndicatorString", "true" if item.changed else "false")
    if item.name:
        _sub(line, "ram:Name", item.name)  # MDT-211
    if item.description:
        _sub(line, "ram:Description", item.description)
    if item.location:
        _sub(line, "ram:Location", item.location)  # MDT-213
    if item.value:
        _sub(line, "ram:Value", item.value)
    if item.amount is not None:
        _sub(line, "ram:ValueAmount", f"{item.amount:.2f}", currencyID=item.currency)  # MDT-215
    if item.percent is not None:
        _sub(line, "ram:ValuePercent", f"{item.percent:.2f}")  # MDT-224


def _status_detail(ref, v):
    status = v["status"]
    if not (v["reason"] or v["reason_text"] or v["message"] or v["amounts"]
            or v["characteristics"] or v["action_code"] or v["action"]):
        return
    detail = _sub(ref, "ram:SpecifiedDocumentStatus")
    if v["reason"]:
        _sub(detail, "ram:ReasonCode", v["reason"])
    if v["reason_text"]:
        _sub(detail, "ram:Reason", v["reason_text"])
    if v["action_code"]:
        _sub(detail, "ram:RequestedActionCode", v["action_code"])  # MDT-121
    if v["action"]:
        _sub(detail, "ram:RequestedAction", v["action"])  # MDT-122
    _sub(detail, "ram:SequenceNumeric", "1")  # MDT-124-2, BR-FR-CDV-13
    if v["message"]:
        note = _sub(detail, "ram:IncludedNote")
        _sub(note, "ram:Content", v["message"])
    for item in v["amounts"]:
        _characteristic(detail, Characteristic(
            PAYMENT_TYPE_CODES[status.code], amount=item.amount, currency=item.currency,
            percent=item.vat_rate))
    for item in v["characteristics"]:
        _characteristic(detail, item)


def _acknowledgement(root, v):
    status = v["status"]
    ack = _sub(root, "rsm:AcknowledgementDocument")
    multiple = _sub(ack, "ram:MultipleReferencesIndicator")
    _sub(multiple, "udt:Indicator", "false")
    _sub(ack, "ram:TypeCode", TYPE_TRANSMISSION if status.transmission else TYPE_PROCESSING)
    _datetime(ack, "ram:IssueDateTime", v["issued_at"])  # MDT-78, the business timestamp
    ref = _sub(ack, "ram:ReferenceReferencedDocument")
    _sub(ref, "ram:IssuerAssignedID", v["number"])
    if status.code in DOCUMENT_STATUS_CODES:
        _sub(ref, "ram:StatusCode", DOCUMENT_STATUS_CODES[status.code])
    _sub(ref, "ram:TypeCode", v["type_code"])
    if v["received_at"]:
        _datetime(ref, "ram:ReceiptDateTime", v["received_at"])
    formatted = _sub(ref, "ram:FormattedIssueDateTime")
    _sub(formatted, "qdt:DateTimeString", v["date"].strftime("%Y%m%d"), format=_FORMAT_DATE)
    _sub(ref, "ram:ProcessConditionCode", str(status.code))
    _sub(ref, "ram:ProcessCondition", status.label_fr)
    seller = _sub(ref, "ram:IssuerTradeParty")
    _sub(seller, "ram:GlobalID", v["seller"], schemeID=SIREN_SCHEME)
    _sub(seller, "ram:RoleCode", ROLE_CODES["supplier"])
    _status_detail(ref, v)


def build_cdar(msg):
    """Return the CDAR message for ``msg`` as UTF-8 XML bytes; raise CdarError on bad input."""
    v = validated(msg)
    root = etree.Element(ROOT_TAG, nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID",
         BUSINESS_PROCESS)
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    _exchanged_document(root, msg, v)
    _acknowledgement(root, v)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
