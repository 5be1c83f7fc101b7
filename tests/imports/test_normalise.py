"""Normalisers for imported cells: ROC and Gregorian dates, counts, countries, choices; never a crash."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.imports import normalise as nz


@pytest.mark.parametrize("cell", [
    "民國109年1月13日", "109/01/13", "109.1.13", "2020/1/13", "2020-01-13", "２０２０／０１／１３", "１０９年１月１３日",
    "2020年1月13日", "13/01/2020", "01/13/2020", "1090113", "20200113", "民國 109 年 1 月 13 日", "2020-01-13 00:00:00",
    "2020-01-13T09:30:00", 43843, 43843.0, "43843", date(2020, 1, 13), datetime(2020, 1, 13, 15, 0),
])
def test_every_common_date_form_reads_as_13_january_2020(cell):
    assert nz.parse_date(cell) == date(2020, 1, 13)


@pytest.mark.parametrize("cell", ["109/02/30", "2020-13-01", "yesterday", "0/0/0", "3000-01-01", "民國", "12:30",
                                  -5, 2001, "2001"])
def test_impossible_dates_are_refused_with_a_reason(cell):
    with pytest.raises(nz.Unreadable) as info:
        nz.parse_date(cell)
    assert info.value.key == "import.bad_date"


def test_blank_date_is_none():
    assert nz.parse_date("") is None and nz.parse_date(None) is None and nz.parse_date("  ") is None


@pytest.mark.parametrize("cell, year", [("2019", 2019), ("108", 2019), ("民國108年", 2019), ("108年", 2019),
                                        ("2019-12-24", 2019), (2019, 2019), ("１９７９", 1979)])
def test_years_in_either_calendar(cell, year):
    assert nz.parse_year(cell) == year


@pytest.mark.parametrize("cell, expected", [
    ("約53人", (53, True)), ("53", (53, False)), ("53人", (53, False)), ("５３", (53, False)), ("約 53 名", (53, True)),
    (8, (8, False)), (8.0, (8, False)), ("about 30", (30, True)), ("30+", (30, True)), ("~30", (30, True)),
    ("50餘人", (50, True)), ("五十三人", (53, False)), ("十二", (12, False)), ("1,200", (1200, False)), ("", (None, False)),
    ("12 people", (12, False)),
])
def test_headcounts(cell, expected):
    assert nz.parse_count(cell) == expected


@pytest.mark.parametrize("cell", ["many", "-3", "3.5", -3, 2.5, "五十三十X"])
def test_unreadable_counts(cell):
    with pytest.raises(nz.Unreadable):
        nz.parse_count(cell)


@pytest.mark.parametrize("cell, code", [
    ("美國", "US"), ("USA", "US"), ("United States", "US"), ("United States of America", "US"), ("us", "US"),
    ("韓國", "KR"), ("South Korea", "KR"), ("南韓", "KR"), ("Korea, Republic of", "KR"), ("捷克", "CZ"),
    ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("CZE", "CZ"), ("cz", "CZ"), ("日本", "JP"), ("Japan", "JP"),
    ("臺灣", "TW"), ("台灣", "TW"), ("拉脫維亞", "LV"), ("Latvia", "LV"), ("Saint Lucia", "LC"), ("St. Lucia", "LC"),
    ("Saint Vincent and the Grenadines", "VC"), ("The Netherlands", "NL"), ("Côte d’Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"), ("  peru ", "PE"), ("秘魯", "PE"), ("美国", "US"), ("ＵＳＡ", "US"),
])
def test_countries_in_either_language_or_as_codes(cell, code):
    assert nz.country_code(cell) == code


def test_unknown_country_says_which():
    with pytest.raises(nz.Unreadable) as info:
        nz.country_code("Atlantis")
    assert info.value.key == "import.bad_country" and info.value.params["value"] == "Atlantis"


@pytest.mark.parametrize("cell, expected", [
    ("Prague, Czech Republic", ("Prague", "CZ")), ("布拉格（捷克）", ("布拉格", "CZ")), ("Lima (Peru)", ("Lima", "PE")),
    ("Washington, D.C.", ("Washington, D.C.", None)), ("Riga", ("Riga", None)),
])
def test_country_qualifiers_split_off_a_place_name(cell, expected):
    assert nz.find_country_in(cell) == expected


def test_text_of_numbers_and_full_width_spaces():
    assert nz.text(12.0) == "12" and nz.text("\u3000布拉格\u3000") == "布拉格" and nz.text(None) == ""
    assert nz.halfwidth("１０９／０１／１３") == "109/01/13"


CELLS = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**9, 10**9), st.floats(allow_nan=True),
                  st.booleans(), st.dates(), st.datetimes())


@settings(max_examples=400, deadline=None)
@given(CELLS)
def test_no_cell_crashes_a_normaliser(cell):
    for fn in (nz.parse_date, nz.parse_year, nz.parse_count, nz.parse_float, nz.parse_bool, nz.country_code, nz.text):
        try:
            result = fn(cell)
        except nz.Unreadable as exc:
            assert exc.key.startswith("import.")
            continue
        if fn is nz.parse_date and result is not None:
            assert 1900 <= result.year <= 2100
        if fn is nz.parse_count:
            assert result[0] is None or result[0] >= 0


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1912, 1, 1), max_value=date(2100, 12, 31)))
def test_any_date_round_trips_through_its_roc_and_gregorian_spellings(day):
    roc = day.year - 1911
    for spelling in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"民國{roc}年{day.month}月{day.day}日",
                     f"{roc}.{day.month}.{day.day}", f"{roc:03d}/{day.month:02d}/{day.day:02d}"):
        assert nz.parse_date(spelling) == day, spelling
