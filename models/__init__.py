# isort: off
from . import l10n_fr_pa_catalogue_mixin  # before the models that inherit it
# isort: on
from . import (
    account_edi_common,
    account_move,
    account_move_lifecycle,
    account_move_send,
    l10n_fr_pa_action,
    l10n_fr_pa_bill_importer,
    l10n_fr_pa_connection,
    l10n_fr_pa_ereport,
    l10n_fr_pa_ereport_builder,
    l10n_fr_pa_error,
    l10n_fr_pa_event,
    l10n_fr_pa_inbound,
    l10n_fr_pa_mapper,
    l10n_fr_pa_messages,
    l10n_fr_pa_payment_status,
    l10n_fr_pa_reason,
    l10n_fr_pa_sender,
    l10n_fr_pa_status_pusher,
    l10n_fr_pa_supplier_matcher,
    l10n_fr_pa_sync,
    l10n_fr_pa_vendor_automation,
    l10n_fr_pa_webhook,
    res_company,
    res_config_settings,
    res_partner,
)

# isort: off
from . import l10n_fr_pa_ereport_error  # extends l10n_fr_pa.error: after it
# isort: on
