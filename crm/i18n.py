"""The message catalog: every UI string in Traditional Chinese and English.

Catalog files live in `crm/locales/*.json`, each a mapping `key -> {"en": ..., "zh-TW": ...}`;
an area of the app keeps its own file. `t(key, lang, **params)` formats with `str.format`.
"""

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh-TW", "en")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
BABEL_LOCALE = {"zh-TW": "zh_Hant_TW", "en": "en"}


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All messages from every catalog file (a key defined twice is an error)."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"message {key!r} defined twice ({path.name})")
            merged[key] = texts
    return merged


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return "zh-TW"
    lang = lang.strip().replace("_", "-")
    if lang.lower().startswith("en"):
        return "en"
    return "zh-TW"


def t(key: str, lang: str = "zh-TW", **params) -> str:
    """The message `key` in `lang`, formatted with `params`; the key itself if unknown."""
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def capitalise(text: str) -> str:
    """The text with its first letter upper-case (catalog nouns are lower-case, for use inside sentences)."""
    return text[:1].upper() + text[1:]


def has(key: str) -> bool:
    return key in catalog()


def pick(lang: str, en: str | None, zh: str | None, *fallbacks: str | None) -> str:
    """A bilingual name in the preferred language, falling back to the other and to `fallbacks`."""
    first, second = (zh, en) if lang == "zh-TW" else (en, zh)
    for value in (first, second, *fallbacks):
        if value:
            return value
    return ""


# --- the one numeric date format of each language (screens; documents keep their own) -------------------------

DATE_SEPARATOR = {"zh-TW": "/", "en": "-"}


def date_input_format(lang: str) -> str:
    """The format of a date field in `lang` (Streamlit's notation): "YYYY/MM/DD" / "YYYY-MM-DD"."""
    sep = DATE_SEPARATOR.get(lang, "-")
    return f"YYYY{sep}MM{sep}DD"


def date_pattern(lang: str) -> str:
    """The same format as a strftime / d3 (plotly) pattern: "%Y/%m/%d" / "%Y-%m-%d"."""
    sep = DATE_SEPARATOR.get(lang, "-")
    return f"%Y{sep}%m{sep}%d"


def date_text(day, lang: str) -> str:
    """A date as the screens show it in `lang`, the date fields' format: 2021/03/05 / 2021-03-05 ('' for None).
    A datetime shows its own date (convert it to the wanted zone first)."""
    if day is None:
        return ""
    sep = DATE_SEPARATOR.get(lang, "-")
    return f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"


def datetime_text(moment, lang: str) -> str:
    """A datetime as the screens show it in `lang`: the date's format plus HH:MM (2021/03/05 14:07)."""
    if moment is None:
        return ""
    return f"{date_text(moment, lang)} {moment.hour:02d}:{moment.minute:02d}"
