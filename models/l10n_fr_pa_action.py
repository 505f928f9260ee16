# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The "Change status" actions as records, so the wizard offers only the actions allowed
for its document (a Many2one with a domain computed from the document; a Selection's
options are fixed when the web client loads the view, without the document).

The records mirror ``einvoicing.lifecycle.ACTIONS``: ``_sync_from_catalogue`` runs from
``data/l10n_fr_pa_reason_data.xml`` at every install and upgrade (keys gone from the
catalogue are archived, never deleted). The core stays the judge: ``actions_for``.
"""

from odoo import api, fields, models

from ..einvoicing import lifecycle


class L10nFrPaAction(models.Model):
    _name = "l10n_fr_pa.action"
    _description = "E-invoicing: status action"
    _order = "sequence, id"
    _rec_names_search = ["key", "label_fr", "label_en"]

    key = fields.Char(required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    status_code = fields.Integer(readonly=True)
    label_fr = fields.Char(string="Label (French)", readonly=True)
    label_en = fields.Char(string="Label (English)", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    _sql_constraints = [("key_uniq", "unique(key)", "An action key exists once.")]

    @api.depends("key", "label_fr", "label_en")
    @api.depends_context("lang")
    def _compute_display_name(self):
        french = (self.env.lang or "").startswith("fr")
        for action in self:
            action.display_name = (action.label_fr if french else action.label_en) or action.key

    @api.model
    def _catalogue(self):
        """Every catalogue action once, in the order of the document kinds."""
        actions = {}
        for kind in lifecycle.DOCUMENT_KINDS:
            for action in lifecycle.actions_for(kind):
                actions.setdefault(action.key, action)
        return list(actions.values())

    @api.model
    def _sync_from_catalogue(self):
        """Create or update one record per catalogue action; archive the others."""
        records = {r.key: r for r in self.with_context(active_test=False).search([])}
        for sequence, action in enumerate(self._catalogue(), start=1):
            vals = {"key": action.key, "sequence": sequence, "status_code": action.status_code,
                    "label_fr": action.label_fr, "label_en": action.label_en, "active": True}
            record = records.pop(action.key, None)
            if record is None:
                self.create(vals)
            elif any(record[name] != value for name, value in vals.items()):
                record.write(vals)
        self.browse([r.id for r in records.values()]).write({"active": False})

    @api.model
    def _for_kind(self, kind):
        """The actions allowed on a document of ``kind`` (empty when it has none)."""
        if kind not in lifecycle.DOCUMENT_KINDS:
            return self.browse()
        keys = [action.key for action in lifecycle.actions_for(kind)]
        return self.search([("key", "in", keys)])

    @api.model
    def _by_key(self, key):
        return self.search([("key", "=", key)], limit=1)
