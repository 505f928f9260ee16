
# synchronisation, diagnostics, webhooks (sync owner)
from . import (
    account_edi_common,  # reception
    account_move,
    account_move_send,
    l10n_fr_pa_action,
    l10n_fr_pa_connection,
    l10n_fr_pa_error,
    l10n_fr_pa_event,
    l10n_fr_pa_inbound,  # reception
    l10n_fr_pa_mapper,
    l10n_fr_pa_reason,
    l10n_fr_pa_sender,
    l10n_fr_pa_status_pusher,
    l10n_fr_pa_sync,
    l10n_fr_pa_vendor,
    l10n_fr_pa_webhook,
    res_company,
    res_config_settings,
    res_partner,
)
