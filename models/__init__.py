
# synchronisation, diagnostics, webhooks (sync owner)
from . import (
    account_edi_common_pa,  # reception
    account_move,
    account_move_pa_send,
    account_move_pa_status,
    account_move_pa_vendor,  # reception
    account_move_send,
    l10n_fr_pa_connection,
    l10n_fr_pa_connection_sync,
    l10n_fr_pa_error,
    l10n_fr_pa_event,
    l10n_fr_pa_inbound,  # reception
    l10n_fr_pa_inbound_import,  # reception
    l10n_fr_pa_inbound_partner,  # reception
    l10n_fr_pa_inbound_taxes,  # reception
    l10n_fr_pa_mapping,
    l10n_fr_pa_sync,
    l10n_fr_pa_webhook,
    res_company,
    res_company_reception,  # reception
    res_config_settings,
    res_partner,
)
