# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Install hooks: refuse an Odoo 18.0 too old for the module, with a clear message."""

from odoo.exceptions import UserError

from .einvoicing.identifiers import ELECTRONIC_ADDRESS_SCHEME

# The French electronic address scheme 0225 (FR:CTC) joined account_edi_ubl_cii's
# peppol_eas list in July 2025 (odoo/odoo#218419, Peppol code lists v9.2).
OLDEST_REVISION = "Odoo 18.0 of August 2025 (odoo/odoo#218419)"


def check_odoo_revision(env):
    """Raise a UserError when this Odoo cannot store a 0225 electronic address."""
    field = env["res.partner"]._fields.get("peppol_eas")
    schemes = dict(field._description_selection(env)) if field else {}
    if ELECTRONIC_ADDRESS_SCHEME not in schemes:
        raise UserError(env._(
            "This Odoo 18.0 is too old for French e-invoicing: its contacts cannot hold "
            "the French electronic address scheme %(scheme)s. Update Odoo to %(revision)s "
            "or later, then install this module again.",
            scheme=ELECTRONIC_ADDRESS_SCHEME, revision=OLDEST_REVISION,
        ))


def pre_init_hook(env):
    check_odoo_revision(env)
