"""The install hook refuses an Odoo 18.0 whose contacts cannot hold a 0225 address."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..hooks import check_odoo_revision


@tagged("post_install", "-at_install")
class TestInstallHook(TransactionCase):
    def test_this_odoo_is_recent_enough(self):
        self.assertIsNone(check_odoo_revision(self.env))

    def test_an_odoo_without_the_0225_scheme_is_refused_with_what_to_do(self):
        field = self.env["res.partner"]._fields["peppol_eas"]
        older = [(code, label) for code, label in field._description_selection(self.env)
                 if code != "0225"]
        with patch.object(field, "selection", older), \
                self.assertRaisesRegex(UserError, r"too old .* scheme 0225\. Update Odoo"):
            check_odoo_revision(self.env)
