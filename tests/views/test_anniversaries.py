"""Anniversary arithmetic: years, the next anniversary only, 29 February; the titles in both languages."""

from datetime import date

from crm.views.anniversaries import anniversaries_between, anniversary_title, next_anniversary, ordinal


def test_next_anniversary_counts_years_and_is_the_next_only():
    prague = date(2020, 1, 13)
    assert next_anniversary(prague, date(2029, 12, 20)) == (date(2030, 1, 13), 10)
    assert next_anniversary(prague, date(2030, 1, 13)) == (date(2030, 1, 13), 10)  # the day itself
    assert next_anniversary(prague, date(2030, 1, 14)) == (date(2031, 1, 13), 11)  # past: next year's, not both
    assert next_anniversary(prague, date(2020, 1, 13)) == (date(2021, 1, 13), 1)  # never the signing day itself
    assert next_anniversary(prague, date(2019, 6, 1)) == (date(2021, 1, 13), 1)


def test_29_february_pacts():
    leap = date(2016, 2, 29)
    assert next_anniversary(leap, date(2026, 1, 1)) == (date(2026, 2, 28), 10)  # a common year: the last day of Feb
    assert next_anniversary(leap, date(2026, 3, 1)) == (date(2027, 2, 28), 11)
    assert next_anniversary(leap, date(2028, 2, 29)) == (date(2028, 2, 29), 12)  # a leap year: the day itself
    assert anniversaries_between(leap, date(2026, 1, 1), date(2028, 12, 31)) == [
        (date(2026, 2, 28), 10), (date(2027, 2, 28), 11), (date(2028, 2, 29), 12)]


def test_titles():
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert anniversary_title("Prague", "sister", 10, "en") == "10th anniversary of the Prague pact"
    assert anniversary_title("布拉格", "sister", 10, "zh-TW") == "布拉格姊妹市締約 10 週年"


def test_the_dashboard_lists_the_next_anniversary_only(engine, admin):
    from crm.store import writes
    from crm.views import dashboard as dash

    for name, day in (("Leap", date(2016, 2, 29)), ("Today", date(2016, 1, 1))):
        city = writes.create(admin, "cities", {"name_en": name, "country_code": "JP"})
        writes.create(admin, "partnerships", {"city_id": city, "status": "active", "established_on": day})
    found = [(a["name_en"], a["years"], a["on"]) for a in dash.anniversaries(today=date(2026, 1, 1), months=12)]
    # the day itself counts; a 29 February pact is remembered on 28 February in a common year
    assert found == [("Today", 10, date(2026, 1, 1)), ("Leap", 10, date(2026, 2, 28))]
