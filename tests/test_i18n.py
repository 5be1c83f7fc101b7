"""The catalog: every message in both languages; every key the code uses exists."""

import re
from pathlib import Path

from crm.i18n import LANGUAGES, catalog, normalise_lang, pick, t

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\b(?:tr|t)\(\s*f?["']([a-z_]+\.[a-zA-Z0-9_.]+)["']""")


def test_every_message_has_both_languages():
    for key, texts in catalog().items():
        for lang in LANGUAGES:
            assert texts.get(lang), f"{key} has no {lang} text"


def test_every_literal_key_used_in_code_exists():
    unknown = set()
    for path in list((ROOT / "crm").rglob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"]:
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            if "{" not in key and key not in catalog() and not key.endswith("."):
                unknown.add(f"{path.name}: {key}")
    assert not unknown, sorted(unknown)


def test_translation_and_fallbacks():
    assert t("page.visits", "zh-TW") == "外賓來訪"
    assert t("page.visits", "en") == "Visits received"
    assert t("ui.count", "en", n=3) == "3 records"
    assert t("no.such.key", "en") == "no.such.key"
    assert normalise_lang("en_US") == "en" and normalise_lang(None) == "zh-TW"
    assert pick("en", "", "布拉格") == "布拉格" and pick("zh-TW", "Prague", "") == "Prague"
