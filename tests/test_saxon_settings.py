# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The idle delay of the Saxon helper process, set by a system parameter."""

from odoo.tests import TransactionCase, tagged

from ..einvoicing.validation import saxon
from ..models.l10n_fr_pa_connection import SAXON_IDLE_PARAM


@tagged("post_install", "-at_install")
class TestSaxonSettings(TransactionCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(saxon.set_idle_seconds, None)
        self.Connection = self.env["l10n_fr_pa.connection"]
        self.Param = self.env["ir.config_parameter"].sudo()

    def test_parameter_passed_to_the_core(self):
        self.Param.set_param(SAXON_IDLE_PARAM, "45")
        self.assertEqual(self.Connection._l10n_fr_pa_apply_saxon_settings(), 45)
        self.assertEqual(saxon.idle_seconds(), 45)
        self.Param.set_param(SAXON_IDLE_PARAM, "0")  # never stop
        self.Connection._register_hook()
        self.assertEqual(saxon.idle_seconds(), 0)

    def test_unset_or_unreadable_falls_back_to_the_core_default(self):
        saxon.set_idle_seconds(12)
        self.Param.set_param(SAXON_IDLE_PARAM, False)
        self.Connection._l10n_fr_pa_apply_saxon_settings()
        default = saxon.idle_seconds()
        self.assertNotEqual(default, 12)
        self.Param.set_param(SAXON_IDLE_PARAM, "five minutes")
        with self.assertLogs("odoo.addons.l10n_fr_einvoice_pa.models.l10n_fr_pa_connection",
                             "WARNING"):
            self.assertEqual(self.Connection._l10n_fr_pa_apply_saxon_settings(), default)
