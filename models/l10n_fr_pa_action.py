# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The "Change status" actions as records, so the wizard offers only the actions allowed
for its document (a Many2one with a domain computed from the document; a Selection's
options are fixed when the web client loads the view, without the document).

The records mirror the actions of ``einvoicing.lifecycle`` (see
``l10n_fr_pa.catalogue.mixin``). The core stays the judge: ``actions_for``.
"""

from odoo import api, fields, models

from ..einvoicing import lifecycle


class L10nFrPaAction(models.Model):
    _name = "l10n_fr_pa.action"
    _inherit = ["l10n_fr_pa.catalogue.mixin"]
    _description = "E-invoicing: status action"
    _order = "sequence, id"
    _rec_names_search = ["key", "label_fr", "label_en"]

    key = fields.Char(required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    status_code = fields.Integer(readonly=True)

    _sql_constraints = [("key_uniq", "unique(key)", "An action key exists once.")]
    _catalogue_key = "key"

    @api.depends("key", "label_fr", "label_en")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for action in self:
            action.display_name = action._label() or action.key

    @api.model
    def _catalogue(self):
        """Every catalogue action once, in the order of the document kinds."""
        actions = {}
        for kind in lifecycle.DOCUMENT_KINDS:
            for action in lifecycle.actions_for(kind):
                actions.setdefault(action.key, action)
        return list(actions.values())

    @api.model
    def _catalogue_values(self):
        return [{"key": action.key, "sequence": sequence, "status_code": action.status_code,
                 "label_fr": action.label_fr, "label_en": action.label_en}
                for sequence, action in enumerate(self._catalogue(), start=1)]

    @api.model
    def _state_of(self, move):
        """(current status code or None, sent) of ``move``, as ``actions_for`` takes them."""
        return move.l10n_fr_pa_status_code or None, bool(move.l10n_fr_pa_flow_id)

    @api.model
    def _for_move(self, move):
        """The actions the lifecycle allows on ``move`` now (its kind and current status)."""
        kind = move.l10n_fr_pa_kind
        if kind not in lifecycle.DOCUMENT_KINDS:
            return self.browse()
        keys = [a.key for a in lifecycle.actions_for(kind, *self._state_of(move))]
        return self.search([("key", "in", keys)])

    @api.model
    def _by_key(self, key):
        return self.search([("key", "=", key)], limit=1)
