"""The country picker: labels carry both names and the ISO code (捷克 · Czechia · CZ) and 臺/台 alike."""

import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

from crm.geo.countries import country_choices, country_labels
from crm.text import fold, tai_variants
from tests.support.apptest import errors, open_page


def contains(labels: dict[str, str], typed: str) -> list[str]:
    """What the browser's "contains" filter of a select box offers for `typed` (case-insensitive substring)."""
    return [code for code, label in labels.items() if typed.lower() in label.lower()]


def test_labels_put_the_ui_language_first_then_the_other_name_and_the_code():
    assert country_labels("en")["CZ"] == "Czechia · 捷克 · CZ"
    assert country_labels("zh-TW")["CZ"] == "捷克 · Czechia · CZ"
    assert country_labels("en")["TW"] == "Taiwan · 台灣 (臺灣) · TW"
    assert country_labels("zh-TW")["TW"] == "台灣 (臺灣) · Taiwan · TW"
    assert country_labels("en")["AN"] == "Netherlands Antilles · AN"  # one name in both languages: shown once


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("typed, code", [("Czech", "CZ"), ("czechia", "CZ"), ("捷克", "CZ"), ("CZ", "CZ"),
                                          ("cz", "CZ"), ("台", "TW"), ("臺", "TW"), ("台灣", "TW"), ("臺灣", "TW"),
                                          ("TW", "TW"), ("Taiwan", "TW"), ("GB", "GB"), ("英國", "GB")])
def test_either_name_or_the_code_finds_the_country_without_flooding(lang, typed, code):
    assert contains(country_labels(lang), typed) == [code]


def test_a_code_found_inside_other_names_still_offers_the_country_among_few():
    found = contains(country_labels("en"), "US")  # Australia, Belarus, Cyprus, … contain "us" too
    assert "US" in found and len(found) < 10


def test_plain_names_and_order_are_unchanged_for_the_list_filter():
    for lang in ("en", "zh-TW"):
        choices, labels = country_choices(lang), country_labels(lang)
        assert list(labels) == list(choices)
        assert choices["CZ"] == ("捷克" if lang == "zh-TW" else "Czechia")
        assert all(label.startswith(choices[code]) and label.endswith(f" · {code}") for code, label in labels.items())
    assert country_labels("en") is not country_labels("en")  # a fresh dict: the caller may change it
    country_labels("en")["CZ"] = "changed"
    assert country_labels("en")["CZ"] == "Czechia · 捷克 · CZ"


def test_tai_variants_swap_the_two_spellings():
    assert tai_variants("臺北市") == ["台北市"]
    assert tai_variants("台中市") == ["臺中市"]
    assert tai_variants("臺台") == ["台台", "臺臺"]
    assert tai_variants("Prague") == [] and tai_variants("") == [] and tai_variants(None) == []
    assert all(fold(v) == fold("臺北市") for v in tai_variants("臺北市"))


@pytest.mark.parametrize("lang, label", [("en", "Czechia · 捷克 · CZ"), ("zh-TW", "捷克 · Czechia · CZ")])
def test_the_visit_form_offers_the_labels_filtered_by_substring_and_keeps_the_code(demo_url, lang, label):
    at = open_page("visits", lang, query={"new": "1"})
    assert errors(at) == []
    box = at.selectbox(key="f-visits-new-0-country_code")
    assert label in box.options
    assert box.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    box.set_value("CZ").run()
    assert at.selectbox(key="f-visits-new-0-country_code").value == "CZ"
