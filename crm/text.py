"""Text helpers: folding for accent- and case-insensitive search, cleaning user input."""

import re
import unicodedata
from functools import lru_cache

# controls, zero-width and direction marks, and the word joiner (U+2060) crm.ui.shell.plain puts in shown links
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, width-normalised form used for matching (São Paulo → sao paulo)."""
    if not text:
        return ""
    return _fold(str(text))


@lru_cache(maxsize=65536)  # imports and search keys fold the same names over and over
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("ß", "ss").replace("臺", "台")
    return " ".join(stripped.casefold().split())


def tai_variants(text: str | None) -> list[str]:
    """The other spellings of `text` with 臺 and 台 swapped (臺北市 → ["台北市"]), for filters that match text as shown."""
    if not text or ("臺" not in text and "台" not in text):
        return []
    return [v for v in dict.fromkeys((text.replace("臺", "台"), text.replace("台", "臺"))) if v != text]


def with_tai_variants(name: str) -> str:
    """`name` followed by its other 臺/台 spellings, for a label a browser filters as typed: 臺北市 → "臺北市 (台北市)"."""
    variants = tai_variants(name)
    return f"{name} ({' / '.join(variants)})" if variants else name


def clean(text: str | None) -> str:
    """Strip surrounding white space and invisible control or direction-override characters."""
    if text is None:
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))
    return text.strip()


def neutralise_formula(value):
    """Prefix a cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
