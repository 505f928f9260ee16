"""One place turns core errors into the user's words: known codes get a translatable
sentence with their values, unknown ones keep the core's own text."""

from decimal import Decimal

from odoo.tests import TransactionCase, tagged

from ..einvoicing import identifiers, lifecycle
from ..einvoicing.errors import EInvoicingError


@tagged("post_install", "-at_install")
class TestUserMessages(TransactionCase):
    def _message(self, call, *args):
        try:
            call(*args)
        except EInvoicingError as error:
            return self.env["l10n_fr_pa.messages"]._user_message(error)
        self.fail("the core accepted a bad value")

    def test_known_codes_are_worded_with_their_values(self):
        self.assertEqual(
            self._message(identifiers.validate_siren, "732829321", "Customer SIREN"),
            'Customer SIREN "732829321" is not a valid SIREN (9 digits with a valid check '
            "digit): copy it from the Kbis or the INSEE directory.")
        self.assertIn("does not start with the SIREN 732829320",
                      self._message(identifiers.validate_siret, "55210055400013", "732829320"))
        self.assertIn("must be greater than zero",
                      self._message(lifecycle.PaymentAmount, Decimal("0"), "EUR"))
        self.assertIn('"EURO" is not an ISO 4217 currency code',
                      self._message(lifecycle.PaymentAmount, Decimal("10"), "EURO"))
        self.assertIn("is not allowed for the status 208",
                      self._message(lifecycle.check_reason, 208, "PU_ERR"))

    def test_unknown_code_keeps_the_core_text(self):
        error = EInvoicingError("Something precise went wrong.", code="not_in_the_table")
        self.assertEqual(self.env["l10n_fr_pa.messages"]._user_message(error),
                         "Something precise went wrong.")

    def test_missing_parameter_falls_back_to_the_core_text(self):
        error = EInvoicingError("SIREN 12 is not valid.", code="siren_invalid")  # no params
        self.assertEqual(self.env["l10n_fr_pa.messages"]._user_message(error),
                         "SIREN 12 is not valid.")
