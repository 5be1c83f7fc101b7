"""A behaviour-preserving shortcut in Streamlit (pinned in requirements.txt) that every rerun pays.

Streamlit looks for a leading emoji in every non-ASCII option label of pills, segmented controls and
alerts with one anchored regex of ~4,000 alternatives: 10-50 µs a label, so in Chinese a page with a
few button groups spends about half a millisecond per rerun on it. The regex can only match a text
whose first character begins some emoji, so texts that start otherwise skip it; the rest still go
through Streamlit's own function, which decides as before.
"""

from streamlit import source_util, string_util

_original = string_util.extract_leading_emoji
_first_chars: frozenset[str] | None = None


def extract_leading_emoji(text: str) -> tuple[str, str]:
    """Streamlit's `extract_leading_emoji`, without its regex for texts no emoji can start."""
    global _first_chars
    if not text or text.isascii():
        return "", text
    if _first_chars is None:
        from streamlit.emojis import ALL_EMOJIS

        _first_chars = frozenset(emoji[0] for emoji in ALL_EMOJIS)
    if text[0] not in _first_chars:
        return "", text
    return _original(text)


def install() -> None:
    """Put the shortcut where Streamlit calls it from (idempotent)."""
    string_util.extract_leading_emoji = extract_leading_emoji
    source_util.extract_leading_emoji = extract_leading_emoji


__all__ = ["extract_leading_emoji", "install"]
