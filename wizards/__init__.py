from . import (
    l10n_fr_pa_diagnostics,
    l10n_fr_pa_status_wizard,
)
