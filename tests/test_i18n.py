"""The users are French: every translatable term of the addon has a French
translation in i18n/fr.po (terms extracted the way Odoo exports them)."""

from pathlib import Path

import polib
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "l10n_fr_einvoice_pa"
PO_PATH = Path(__file__).resolve().parents[1] / "i18n" / "fr.po"


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    def _exported_terms(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        return {source for module, _type, _name, _res_id, source, _value, _comments in reader
                if module == MODULE and source}

    def _translated_terms(self):
        po = polib.pofile(str(PO_PATH))
        return {entry.msgid for entry in po
                if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags}

    def test_every_term_has_a_french_translation(self):
        terms = self._exported_terms()
        self.assertGreater(len(terms), 50, "the term extraction found almost nothing")
        missing = sorted(terms - self._translated_terms())
        self.assertFalse(missing, "Terms without a French translation in i18n/fr.po:\n"
                         + "\n".join(missing))

    def test_placeholders_are_kept(self):
        """A translation keeps every named placeholder of its source."""
        import re

        placeholder = re.compile(r"%\(\w+\)s")
        po = polib.pofile(str(PO_PATH))
        wrong = [entry.msgid for entry in po if entry.msgstr
                 and sorted(placeholder.findall(entry.msgid))
                 != sorted(placeholder.findall(entry.msgstr))]
        self.assertFalse(wrong, "Translations that lose or add a placeholder:\n" + "\n".join(wrong))
