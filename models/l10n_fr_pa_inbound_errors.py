# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Error codes of the reception, each with the resolution shown to the accountant.

Codes follow the integration table of seed 004 (``ERROR_SYNC_INVOICE_*``); PARTNER_AMBIGUOUS,
CURRENCY, RECIPIENT and UNEXPECTED are additions for cases the table does not cover.
"""

PDF = "ERROR_SYNC_INVOICE_PDF"
PARTNER_VALIDATION = "ERROR_SYNC_INVOICE_PARTNER_VALIDATION"
PARTNER_AMBIGUOUS = "ERROR_SYNC_INVOICE_PARTNER_AMBIGUOUS"
TAX_RATE = "ERROR_SYNC_INVOICE_MAPPING_TAX_RATE_NOT_FOUND"
AMOUNT = "ERROR_SYNC_INVOICE_AMOUNT_VALIDATION"
ACCOUNT = "ERROR_SYNC_INVOICE_ACCOUNT_NUMBER_NOT_FOUND"
JOURNAL = "ERROR_SYNC_INVOICE_MAPPING_JOURNAL_NOT_FOUND"
CURRENCY = "ERROR_SYNC_INVOICE_CURRENCY_NOT_FOUND"
RECIPIENT = "ERROR_SYNC_INVOICE_WRONG_RECIPIENT"
UNEXPECTED = "ERROR_SYNC_INVOICE_UNEXPECTED"



class ImportProblem(Exception):
    """A reception problem with its error code (caught by ``_l10n_fr_pa_import``)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


CODES = (PDF, PARTNER_VALIDATION, PARTNER_AMBIGUOUS, TAX_RATE, AMOUNT, ACCOUNT, JOURNAL,
         CURRENCY, RECIPIENT, UNEXPECTED)


def resolution(env, code):
    """The translated resolution of ``code`` (what the accountant does next)."""
    texts = {
        PDF: env._(
            "The invoice file could not be downloaded or read. Check the flow on the platform "
            "(diagnostics, \"Check an invoice on the platform\"), then press Retry; if the "
            "file itself is broken, ask the supplier to send it again."),
        PARTNER_VALIDATION: env._(
            "The invoice names its supplier with neither a SIREN, a VAT number nor a name, "
            "so no supplier can be found or created. Create the supplier, then press Retry."),
        PARTNER_AMBIGUOUS: env._(
            "Several suppliers match the invoice's identifiers. Merge or archive the "
            "duplicates so only one remains, then press Retry."),
        TAX_RATE: env._(
            "No purchase tax of the company has this rate and type. Create or activate the "
            "purchase tax (Accounting > Configuration > Taxes) and set it on the bill lines, "
            "or correct the lines by hand; the bill stays a draft until then."),
        AMOUNT: env._(
            "The totals computed in Odoo differ from the invoice's totals by more than a "
            "rounding difference. Compare the bill with the attached original and correct the "
            "lines or taxes; if the original is wrong, dispute or refuse it (Change status)."),
        ACCOUNT: env._(
            "No account to book the rounding difference: set the rounding accounts in "
            "Settings > Invoicing > E-invoicing (generally 658 and 758), then correct the "
            "bill."),
        JOURNAL: env._(
            "The company has no purchase journal. Create one (Accounting > Configuration > "
            "Journals), then press Retry."),
        CURRENCY: env._(
            "The invoice's currency is unknown or inactive in Odoo. Activate it "
            "(Accounting > Configuration > Currencies), then press Retry."),
        RECIPIENT: env._(
            "The invoice is addressed to another company (buyer SIREN). Check the company "
            "SIREN in its settings; if the invoice is not yours, refuse it on the platform."),
        UNEXPECTED: env._(
            "A technical error stopped the reception; nothing was kept of it. Press Retry; "
            "if it happens again, give the message above to your support."),
    }
    return texts[code]
