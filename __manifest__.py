# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "France - E-invoicing through an accredited platform (PA)",
    "summary": "Send and receive Factur-X invoices and AFNOR lifecycle statuses "
    "through any accredited platform (AFNOR XP Z12-013 API)",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "license": "LGPL-3",
    "author": "l10n_fr_einvoice_pa authors",
    "website": "https://github.com/l10n-fr-einvoice-pa/l10n_fr_einvoice_pa",
    "development_status": "Alpha",
    "countries": ["fr"],
    "depends": ["account", "l10n_fr_account", "account_edi_ubl_cii"],
    "data": [
        "security/ir.model.access.csv",
        "security/l10n_fr_pa_sync_security.xml",
        "security/l10n_fr_pa_security.xml",
        "data/l10n_fr_pa_reason_data.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/l10n_fr_pa_connection_views.xml",
        "wizards/l10n_fr_pa_status_wizard_views.xml",
        "data/ir_cron.xml",
        "views/res_config_settings_views.xml",
        "wizards/l10n_fr_pa_diagnostics_views.xml",
        "security/l10n_fr_pa_inbound_security.xml",
        "views/l10n_fr_pa_inbound_views.xml",
        "views/res_config_settings_reception_views.xml",
        "security/l10n_fr_pa_ereport_security.xml",
        "views/l10n_fr_pa_ereport_views.xml",
        "views/res_config_settings_ereporting_views.xml",
        "data/l10n_fr_pa_ereport_cron.xml",
        "views/res_config_settings_payment_status_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "l10n_fr_einvoice_pa/static/tests/tours/*.js",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "external_dependencies": {
        "python": [
            "lxml",
            "saxonche",
            "factur-x",
            "python-stdnum",
            "requests",
        ]
    },
}
