"""A simple, readable visual PDF for a CII invoice, when the caller has none.

Drawn with reportlab using its bundled Bitstream Vera TrueType fonts, embedded
(PDF/A forbids non-embedded fonts such as the standard Helvetica). Reads the
CII XML directly so it shows exactly what is sent.
"""

import io
import textwrap
from datetime import datetime
from pathlib import Path

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
TITLES = {"380": "FACTURE / INVOICE", "381": "AVOIR / CREDIT NOTE",
          "384": "FACTURE RECTIFICATIVE / CORRECTED INVOICE", "386": "FACTURE D'ACOMPTE"}
_FONTS = {}


def _register_fonts():
    if _FONTS:
        return _FONTS
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    for name, file in (("FxVera", "Vera.ttf"), ("FxVeraBd", "VeraBd.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    _FONTS.update(regular="FxVera", bold="FxVeraBd")
    return _FONTS


def _t(node, path):
    found = node.xpath(path, namespaces=NS)
    if not found:
        return ""
    value = found[0]
    return (value if isinstance(value, str) else value.text or "").strip()


def _date(node, path):
    raw = _t(node, path)
    try:
        return datetime.strptime(raw, "%Y%m%d").strftime("%d/%m/%Y")
    except ValueError:
        return raw


def _party(trade, role):
    party = trade.xpath(f"ram:{role}", namespaces=NS)
    if not party:
        return []
    p = party[0]
    lines = [_t(p, "ram:Name")]
    addr = [_t(p, f"ram:PostalTradeAddress/ram:{f}") for f in
            ("LineOne", "LineTwo", "PostcodeCode", "CityName", "CountryID")]
    lines.append(" ".join(a for a in addr if a))
    legal_id = _t(p, "ram:SpecifiedLegalOrganization/ram:ID")
    scheme = _t(p, "ram:SpecifiedLegalOrganization/ram:ID/@schemeID")
    vat = _t(p, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
    if legal_id:
        lines.append(f"{'SIREN' if scheme == '0002' else 'ID'} {legal_id}")
    if vat:
        lines.append(f"TVA / VAT {vat}")
    return [line for line in lines if line]


def render_invoice_pdf(root):
    """Return PDF bytes showing the invoice in ``root`` (a parsed CII element)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    fonts = _register_fonts()
    buf = io.BytesIO()
    number = _t(root, "rsm:ExchangedDocument/ram:ID")
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1, invariant=1,
                        initialFontName=fonts["regular"])
    pdf.setTitle(f"Invoice {number}")
    pdf.setAuthor(_t(root, "//ram:SellerTradeParty/ram:Name"))
    writer = _Writer(pdf, fonts, A4[1])
    _draw(writer, root, number)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


class _Writer:
    def __init__(self, pdf, fonts, height):
        self.pdf, self.fonts, self.y, self.height = pdf, fonts, height - 50, height

    def line(self, text, x=40, size=9, bold=False, step=12):
        if self.y < 50:
            self.pdf.showPage()
            self.y = self.height - 50
        self.pdf.setFont(self.fonts["bold" if bold else "regular"], size)
        self.pdf.drawString(x, self.y, text[:110])
        self.y -= step

    def cells(self, values, xs, bold=False):
        self.pdf.setFont(self.fonts["bold" if bold else "regular"], 8)
        for value, x in zip(values, xs, strict=True):
            self.pdf.drawString(x, self.y, str(value)[:60])
        self.y -= 11


def _draw(w, root, number):
    doc_type = _t(root, "rsm:ExchangedDocument/ram:TypeCode")
    w.line(TITLES.get(doc_type, f"DOCUMENT {doc_type}"), size=16, bold=True, step=22)
    w.line(f"N° {number}    Date: {_date(root, 'rsm:ExchangedDocument/ram:IssueDateTime/*')}",
           size=10, bold=True, step=18)
    trade = root.xpath("//ram:ApplicableHeaderTradeAgreement", namespaces=NS)
    if trade:
        top = w.y
        for text in ["Vendeur / Seller", *_party(trade[0], "SellerTradeParty")]:
            w.line(text, bold=text.startswith("Vendeur"))
        w.y = top
        for text in ["Client / Buyer", *_party(trade[0], "BuyerTradeParty")]:
            w.line(text, x=310, bold=text.startswith("Client"))
        w.y -= 30
    xs = (40, 300, 360, 420, 480)
    w.cells(("Désignation / Item", "Qté", "PU HT", "TVA %", "Total HT"), xs, bold=True)
    for item in root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS):
        w.cells((_t(item, "ram:SpecifiedTradeProduct/ram:Name"),
                 _t(item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
                 _t(item, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                          "ram:ChargeAmount"),
                 _t(item, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
                          "ram:RateApplicablePercent"),
                 _t(item, "ram:SpecifiedLineTradeSettlement/"
                          "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")),
                xs)
    w.y -= 10
    _draw_totals(w, root)


def _draw_totals(w, root):
    settlement = root.xpath("//ram:ApplicableHeaderTradeSettlement", namespaces=NS)
    if not settlement:
        return
    s = settlement[0]
    currency = _t(s, "ram:InvoiceCurrencyCode")
    summary = "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    for label, path in (("Total HT", "ram:TaxBasisTotalAmount"),
                        ("TVA / VAT", "ram:TaxTotalAmount"),
                        ("Total TTC", "ram:GrandTotalAmount"),
                        ("Net à payer / Amount due", "ram:DuePayableAmount")):
        w.line(f"{label}: {_t(s, summary + path)} {currency}", x=360, bold=True)
    due = _date(s, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/*")
    iban = _t(s, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/"
                 "ram:IBANID")
    w.y -= 10
    if due:
        w.line(f"Échéance / Due date: {due}")
    if iban:
        w.line(f"IBAN: {iban}")
    for note in root.xpath("rsm:ExchangedDocument/ram:IncludedNote/ram:Content/text()",
                           namespaces=NS):
        for part in textwrap.wrap(" ".join(note.split()), 120) or [""]:
            w.line(part, size=7, step=10)

