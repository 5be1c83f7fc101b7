"""Country names in the current language (Babel), cached once per process."""

from functools import lru_cache

from crm.geo.reference import country_rows
from crm.text import with_tai_variants

SEP = " · "


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["name_en"], r["name_zh"]) for r in country_rows()}


def country_name(code: str | None, lang: str) -> str:
    """The country's display name (Babel: 捷克 / Czechia); the code itself when unknown."""
    if not code:
        return ""
    names = _names().get(code.upper())
    if names is None:
        return code
    return names[1] if lang == "zh-TW" else names[0]


def country_choices(lang: str) -> dict[str, str]:
    """ISO-2 code → name, sorted by name in `lang` (a fresh dict: the caller may change it)."""
    return dict(_sorted_choices(lang))


@lru_cache(maxsize=4)  # sorted once per language, not at every rerun of a page with a country filter
def _sorted_choices(lang: str) -> tuple[tuple[str, str], ...]:
    index = 1 if lang == "zh-TW" else 0
    return tuple(sorted(((code, names[index]) for code, names in _names().items()), key=lambda kv: kv[1]))


def country_labels(lang: str) -> dict[str, str]:
    """ISO-2 code → picker label, in the order of `country_choices(lang)`: the name in `lang`, the other language's
    name, the code ("Czechia · 捷克 · CZ" / "捷克 · Czechia · CZ"), so that a select box filtering by the label finds
    a country by either name or its code. A name with 臺 or 台 carries the other spelling too ("台灣 (臺灣)")."""
    return dict(_sorted_labels(lang))


@lru_cache(maxsize=4)
def _sorted_labels(lang: str) -> tuple[tuple[str, str], ...]:
    names = _names()
    return tuple((code, _label(code, *names[code], lang)) for code, _ in _sorted_choices(lang))


def _label(code: str, name_en: str, name_zh: str, lang: str) -> str:
    first, second = (name_zh, name_en) if lang == "zh-TW" else (name_en, name_zh)
    parts = [with_tai_variants(first)] + ([with_tai_variants(second)] if second and second != first else []) + [code]
    return SEP.join(parts)


def is_country(code: str | None) -> bool:
    """Whether `code` is an ISO-2 code on file."""
    return bool(code) and code in _names()


@lru_cache(maxsize=1)
def continents() -> dict[str, str]:
    return {r["code"]: r["continent"] for r in country_rows()}


@lru_cache(maxsize=1)
def iso3() -> dict[str, str]:
    return {r["code"]: r["iso3"] for r in country_rows()}
