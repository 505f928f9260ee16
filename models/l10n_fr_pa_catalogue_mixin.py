# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Records mirroring a part of the lifecycle catalogue (``einvoicing.lifecycle``).

Models inheriting it (reasons, status actions) let the wizards offer choices through a
Many2one with a domain; the catalogue stays the one source of truth and the judge.
``_sync_from_catalogue`` runs from ``data/l10n_fr_pa_reason_data.xml`` at every install
and upgrade: entries gone from the catalogue are archived, never deleted.
"""

from odoo import api, fields, models


class L10nFrPaCatalogueMixin(models.AbstractModel):
    _name = "l10n_fr_pa.catalogue.mixin"
    _description = "E-invoicing: records mirroring the lifecycle catalogue"

    #: the field holding the catalogue's identifier of an entry
    _catalogue_key = "code"

    label_fr = fields.Char(string="Label (French)", readonly=True)
    label_en = fields.Char(string="Label (English)", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    def _catalogue_values(self):
        """The values of every catalogue entry, as a list of dicts (one per record)."""
        raise NotImplementedError

    def _label(self):
        self.ensure_one()
        french = (self.env.lang or "").startswith("fr")
        return self.label_fr if french else self.label_en

    @api.model
    def _sync_from_catalogue(self):
        """Create or update one record per catalogue entry; archive the others."""
        key = self._catalogue_key
        records = {r[key]: r for r in self.with_context(active_test=False).search([])}
        for vals in self._catalogue_values():
            record = records.pop(vals[key], None)
            vals = dict(vals, active=True)
            if record is None:
                self.create(vals)
            elif any(record[name] != value for name, value in vals.items()):
                record.write(vals)
        self.browse([r.id for r in records.values()]).write({"active": False})
