
from . import l10n_fr_pa_event
