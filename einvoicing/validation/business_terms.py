"""Names of the EN 16931 business terms (BT-n) and groups (BG-n), in plain words.

Used to say what a rule is about ("BT-1 Invoice number") next to its finding.
Names follow the EN 16931-1 semantic model (BT-162..165 are the CIUS address
line 3 extensions).
"""

import re

_BG = (
    "Invoice note|Process control|Preceding Invoice reference|Seller|Seller postal address|"
    "Seller contact|Buyer|Buyer postal address|Buyer contact|Payee|"
    "Seller tax representative party|Seller tax representative postal address|"
    "Delivery information|Invoicing period|Deliver to address|Payment instructions|"
    "Credit transfer|Payment card information|Direct debit|Document level allowances|"
    "Document level charges|Document totals|VAT breakdown|Additional supporting documents|"
    "Invoice line|Invoice line period|Invoice line allowances|Invoice line charges|"
    "Price details|Line VAT information|Item information|Item attributes"
)

# Index 0 is BT-1; BT-4 does not exist in the model (kept empty).
_BT = (
    "Invoice number|Invoice issue date|Invoice type code||Invoice currency code|"
    "VAT accounting currency code|Value added tax point date|Value added tax point date code|"
    "Payment due date|Buyer reference|Project reference|Contract reference|"
    "Purchase order reference|Sales order reference|Receiving advice reference|"
    "Despatch advice reference|Tender or lot reference|Invoiced object identifier|"
    "Buyer accounting reference|Payment terms|Invoice note subject code|Invoice note|"
    "Business process type|Specification identifier|Preceding Invoice reference|"
    "Preceding Invoice issue date|Seller name|Seller trading name|Seller identifier|"
    "Seller legal registration identifier|Seller VAT identifier|"
    "Seller tax registration identifier|Seller additional legal information|"
    "Seller electronic address|Seller address line 1|Seller address line 2|Seller city|"
    "Seller post code|Seller country subdivision|Seller country code|Seller contact point|"
    "Seller contact telephone number|Seller contact email address|Buyer name|"
    "Buyer trading name|Buyer identifier|Buyer legal registration identifier|"
    "Buyer VAT identifier|Buyer electronic address|Buyer address line 1|Buyer address line 2|"
    "Buyer city|Buyer post code|Buyer country subdivision|Buyer country code|"
    "Buyer contact point|Buyer contact telephone number|Buyer contact email address|"
    "Payee name|Payee identifier|Payee legal registration identifier|"
    "Seller tax representative name|Seller tax representative VAT identifier|"
    "Tax representative address line 1|Tax representative address line 2|"
    "Tax representative city|Tax representative post code|"
    "Tax representative country subdivision|Tax representative country code|"
    "Deliver to party name|Deliver to location identifier|Actual delivery date|"
    "Invoicing period start date|Invoicing period end date|Deliver to address line 1|"
    "Deliver to address line 2|Deliver to city|Deliver to post code|"
    "Deliver to country subdivision|Deliver to country code|Payment means type code|"
    "Payment means text|Remittance information|Payment account identifier|"
    "Payment account name|Payment service provider identifier|"
    "Payment card primary account number|Payment card holder name|"
    "Mandate reference identifier|Bank assigned creditor identifier|"
    "Debited account identifier|Document level allowance amount|"
    "Document level allowance base amount|Document level allowance percentage|"
    "Document level allowance VAT category code|Document level allowance VAT rate|"
    "Document level allowance reason|Document level allowance reason code|"
    "Document level charge amount|Document level charge base amount|"
    "Document level charge percentage|Document level charge VAT category code|"
    "Document level charge VAT rate|Document level charge reason|"
    "Document level charge reason code|Sum of Invoice line net amount|"
    "Sum of allowances on document level|Sum of charges on document level|"
    "Invoice total amount without VAT|Invoice total VAT amount|"
    "Invoice total VAT amount in accounting currency|Invoice total amount with VAT|"
    "Paid amount|Rounding amount|Amount due for payment|VAT category taxable amount|"
    "VAT category tax amount|VAT category code|VAT category rate|VAT exemption reason text|"
    "VAT exemption reason code|Supporting document reference|Supporting document description|"
    "External document location|Attached document|Invoice line identifier|Invoice line note|"
    "Invoice line object identifier|Invoiced quantity|Invoiced quantity unit of measure code|"
    "Invoice line net amount|Referenced purchase order line reference|"
    "Invoice line Buyer accounting reference|Invoice line period start date|"
    "Invoice line period end date|Invoice line allowance amount|"
    "Invoice line allowance base amount|Invoice line allowance percentage|"
    "Invoice line allowance reason|Invoice line allowance reason code|"
    "Invoice line charge amount|Invoice line charge base amount|"
    "Invoice line charge percentage|Invoice line charge reason|Invoice line charge reason code|"
    "Item net price|Item price discount|Item gross price|Item price base quantity|"
    "Item price base quantity unit of measure code|Invoiced item VAT category code|"
    "Invoiced item VAT rate|Item name|Item description|Item Seller's identifier|"
    "Item Buyer's identifier|Item standard identifier|Item classification identifier|"
    "Item country of origin|Item attribute name|Item attribute value|Seller address line 3|"
    "Buyer address line 3|Tax representative address line 3|Deliver to address line 3"
)

BUSINESS_TERMS = {f"BG-{i}": name for i, name in enumerate(_BG.split("|"), start=1)}
BUSINESS_TERMS.update(
    {f"BT-{i}": name for i, name in enumerate(_BT.split("|"), start=1) if name}
)

_TERM = re.compile(r"(?<![A-Za-z])(B[TG])[-_ ]?(\d{1,3})(?!\d)")


def term_name(term):
    """``"BT-1"`` -> ``"Invoice number"``; None when unknown."""
    return BUSINESS_TERMS.get(term)


def find_business_term(*texts):
    """First known BT/BG cited in ``texts`` as ``"BT-1 Invoice number"``, else None."""
    for text in texts:
        for kind, number in _TERM.findall(text or ""):
            term = f"{kind}-{int(number)}"
            if term in BUSINESS_TERMS:
                return f"{term} {BUSINESS_TERMS[term]}"
    return None
