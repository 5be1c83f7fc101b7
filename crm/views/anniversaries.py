"""Anniversary arithmetic: the next anniversary of a date, its number of years, and its name.

A pact signed on 29 February is remembered on 28 February in common years (the last day of its month).
A yearly reminder is for the *next* anniversary only: one a year, never two at once.
"""

from datetime import date

from crm.i18n import t


def on_year(start: date, year: int) -> date:
    """`start`'s anniversary day in `year` (29 February → 28 February in a common year)."""
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def next_anniversary(start: date, today: date) -> tuple[date, int]:
    """The first anniversary of `start` on or after `today` (never the day itself: at least one year), and its years."""
    year = max(today.year, start.year + 1)
    day = on_year(start, year)
    if day < today:
        year += 1
        day = on_year(start, year)
    return day, year - start.year


def anniversaries_between(start: date, first: date, last: date) -> list[tuple[date, int]]:
    """Every anniversary (day, years) of `start` from `first` to `last` inclusive (the calendar shows each year's)."""
    out = []
    for year in range(max(first.year, start.year + 1), last.year + 1):
        day = on_year(start, year)
        if first <= day <= last:
            out.append((day, year - start.year))
    return out


def ordinal(n: int, lang: str) -> str:
    """1st, 2nd, 3rd, 11th, 22nd… in English; the number itself in Chinese (the phrase carries 週年)."""
    if lang != "en":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def anniversary_title(city: str, partnership_kind: str | None, years: int, lang: str) -> str:
    """"10th anniversary of the Prague pact" / 「布拉格姊妹市締約 10 週年」."""
    kind = t(f"partnership_kind.{partnership_kind}", lang) if partnership_kind else ""
    return t("anniv.title", lang, nth=ordinal(years, lang), n=years, city=city, kind=kind)
