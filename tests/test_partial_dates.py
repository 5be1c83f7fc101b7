"""A date known to the year, the month or the day: read (`parse_partial`), written back, shown."""

from datetime import date

import pytest

from crm.periods import format_partial, parse_partial, partial_text


@pytest.mark.parametrize(("text", "expected"), [
    ("2021", (date(2021, 1, 1), "year")), ("110 年", (date(2021, 1, 1), "year")), ("民國110年", (date(2021, 1, 1), "year")),
    ("２０２１", (date(2021, 1, 1), "year")), ("2021-03", (date(2021, 3, 1), "month")),
    ("110/3", (date(2021, 3, 1), "month")),
    ("2021/3/5", (date(2021, 3, 5), "day")), ("110年3月5日", (date(2021, 3, 5), "day")),
])
def test_read_and_written_back_the_same(text, expected):
    assert parse_partial(text) == expected
    assert parse_partial(partial_text(*expected)) == expected


@pytest.mark.parametrize("text", ["abc", "2021-13", "3000", "2021-02-30", ""])
def test_what_is_no_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_partial(text)


def test_shown_as_precisely_as_known_in_each_language():
    assert format_partial(date(2021, 1, 1), "year", "zh-TW") == "2021 年（民國 110 年）"
    assert format_partial(date(2021, 1, 1), "year", "en") == "2021"
    assert format_partial(date(2021, 3, 1), "month", "zh-TW") == "2021 年 3 月（民國 110 年 3 月）"
    assert format_partial(date(2021, 3, 1), "month", "en") == "March 2021"


def test_a_cohort_row_keeps_a_year_only_new_date_and_drops_it_when_no_longer_postponed():
    from crm.records.formspec import row_values, rows_to_payload
    from crm.records.kinds.exchanges import SPEC

    editor = SPEC.child("cohorts")
    stored = {"status": "postponed", "status_reason": "COVID-19", "postponed_to": "2021-01-01",
              "postponed_to_precision": "year", "participants_count": None}
    typed = row_values(editor, stored)
    assert (typed["postponed_to"], typed["postponed_to_precision"], typed["participants_count"]) == (
        date(2021, 1, 1), "year", None)
    assert rows_to_payload(editor, [typed])[0]["postponed_to_precision"] == "year"
    held = rows_to_payload(editor, [{**typed, "status": "held"}])[0]
    assert "postponed_to" not in held and held["postponed_to_precision"] == ""
    assert rows_to_payload(editor, [row_values(editor, {})]) == []  # an empty row is no row
