"""The shortcut in Streamlit's leading-emoji look-up decides exactly as Streamlit's own function."""

from streamlit import string_util
from streamlit.emojis import ALL_EMOJIS

from crm.ui import speedups


def test_the_shortcut_agrees_with_streamlit_on_every_emoji_and_on_ordinary_labels():
    original = speedups._original
    samples = ["", "Visits", "締盟城市", "布拉格 Prague", "  前導空白", "é café", "#1 first", "#⃣ hash key",
               "👍", "👍 讚", "🇹🇼台灣", "1️⃣ 第一", "*️⃣-star", "→ arrow", "☕coffee", "©️ 2020"]
    samples += [f"{emoji} {text}" for emoji in sorted(ALL_EMOJIS)[::7] for text in ("城市", "city")]
    for text in samples:
        assert speedups.extract_leading_emoji(text) == original(text), text


def test_it_is_installed_where_streamlit_looks_for_it():
    import crm.ui.shell  # noqa: F401 - installs the shortcut on import

    assert string_util.extract_leading_emoji is speedups.extract_leading_emoji
    assert string_util.extract_leading_icon("🚨 錯誤") == ("🚨", "錯誤")
    assert string_util.extract_leading_icon("錯誤 🚨") == ("", "錯誤 🚨")
