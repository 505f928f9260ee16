"""The users are French: every translatable term of the addon has a French
translation in i18n/fr.po, attached to the right record or code (terms
extracted the way Odoo exports them, the po file read the way Odoo loads it)."""

import re
from pathlib import Path

import polib
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

MODULE = "l10n_fr_einvoice_pa"
PO_PATH = Path(__file__).resolve().parents[1] / "i18n" / "fr.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _key(ttype, name, xmlid, source):
    # Code terms are looked up by their source; model terms by record and field.
    return ("code", source) if ttype == "code" else (ttype, name, xmlid, source)


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    def _exported(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        return {_key(ttype, name, res_id, source)
                for module, ttype, name, res_id, source, _value, _comments in reader
                if module == MODULE and source}

    def _translated(self):
        return {_key(row["type"], row["name"], f"{row['module']}.{row.get('imd_name')}",
                     row["src"])
                for row in PoFileReader(str(PO_PATH)) if row["value"]}

    def test_every_term_has_a_french_translation(self):
        exported = self._exported()
        self.assertGreater(len(exported), 50, "the term extraction found almost nothing")
        missing = sorted(exported - self._translated(), key=str)
        self.assertFalse(missing, "Terms without a French translation in i18n/fr.po "
                         "(re-export the module's terms and merge them):\n"
                         + "\n".join(" ".join(map(str, key)) for key in missing))

    def test_placeholders_are_kept(self):
        """A translation keeps every named placeholder of its source."""
        po = polib.pofile(str(PO_PATH))
        wrong = [entry.msgid for entry in po if entry.msgstr
                 and sorted(PLACEHOLDER.findall(entry.msgid))
                 != sorted(PLACEHOLDER.findall(entry.msgstr))]
        self.assertFalse(wrong, "Translations that lose or add a placeholder:\n" + "\n".join(wrong))

    def test_pot_carries_every_translated_term(self):
        """Odoo merges i18n/fr.po with the module's .pot when it loads it (PoFileReader):
        a term missing from the .pot is dropped and the .pot's references replace the
        po's, so a stale .pot silently loses French translations in every database."""
        po = polib.pofile(str(PO_PATH))
        pot = {entry.msgid: entry for entry in polib.pofile(str(PO_PATH.with_name(
            f"{MODULE}.pot")))}
        wrong = [entry.msgid for entry in po if entry.msgstr and (
            entry.msgid not in pot
            or set(entry.occurrences) != set(pot[entry.msgid].occurrences))]
        self.assertFalse(wrong, "Terms of i18n/fr.po missing from the .pot or with other "
                         "references there (regenerate it: tools/i18n_update.sh):\n"
                         + "\n".join(wrong))
