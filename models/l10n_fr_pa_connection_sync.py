# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Synchronisation state of a platform connection (cursor, last syncs, webhook)."""

from odoo import fields, models
from odoo.tools import SQL


class L10nFrPaConnection(models.Model):
    _inherit = "l10n_fr_pa.connection"

    sync_updated_after = fields.Char(
        copy=False, readonly=True,
        help="The platform's updatedAt of the last flow of the last complete scan: the next "
             "scan asks for flows updated after it.",
    )
    sync_page_cursor = fields.Char(
        copy=False, readonly=True,
        help="The platform's cursor of the next page of a scan in progress.",
    )
    sync_scan_max = fields.Char(copy=False, readonly=True)
    last_sync = fields.Datetime(string="Last synchronisation", copy=False, readonly=True)
    last_auto_sync = fields.Datetime(
        string="Last automatic synchronisation", copy=False, readonly=True
    )
    webhook_id = fields.Char(string="Webhook id", copy=False, readonly=True)
    webhook_url = fields.Char(string="Webhook URL", copy=False, readonly=True)

    def _lock_for_sync(self, wait=True):
        """Row-lock the connection for the transaction; False when busy and not waiting.

        One synchronisation per company at a time: the cursor and the events are written
        by whoever holds the lock.
        """
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT id FROM l10n_fr_pa_connection WHERE id = %s FOR NO KEY UPDATE%s",
            self.id, SQL("") if wait else SQL(" SKIP LOCKED"),
        ))
        return bool(self.env.cr.fetchone())
