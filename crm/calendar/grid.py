"""The calendar page's views as data and HTML: month and week grids, the agenda, titles and the legend.

Drawn as one HTML block per view (no component, no script, nothing fetched): each event is a link to its
record's page (`<page>?id=<id>&lang=<lang>`, relative to the app's own path). User text is escaped.
"""

import calendar as pycal
from datetime import date, timedelta
from html import escape

from crm.calendar.sources import SOURCES, CalEvent
from crm.i18n import t
from crm.periods import ROC_OFFSET, Period

VIEWS = ("month", "week", "agenda")
SHOWN_PER_DAY = 4  # events drawn in a month cell; the rest as "+n more" (the week view and the agenda show all)


def month_period(anchor: date) -> Period:
    """The whole weeks (Monday to Sunday) that cover `anchor`'s month."""
    first = anchor.replace(day=1)
    last = first.replace(day=pycal.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def week_period(anchor: date) -> Period:
    start = anchor - timedelta(days=anchor.weekday())
    end = start + timedelta(days=6)
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def view_period(view: str, anchor: date) -> Period:
    """The days a view shows: the month's weeks, the week, or (agenda) the month itself."""
    if view == "week":
        return week_period(anchor)
    if view == "agenda":
        first = anchor.replace(day=1)
        last = first.replace(day=pycal.monthrange(first.year, first.month)[1])
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")
    return month_period(anchor)


def step(view: str, anchor: date, forward: bool) -> date:
    """The anchor one month (month, agenda) or one week on, or back."""
    if view == "week":
        return anchor + timedelta(days=7 if forward else -7)
    month = anchor.month + (1 if forward else -1)
    year, month = anchor.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(anchor.day, pycal.monthrange(year, month)[1]))


def year_text(year: int, lang: str, roc: bool) -> str:
    return t("cal.roc_year", lang, roc=year - ROC_OFFSET, year=year) if roc else str(year)


def title(view: str, anchor: date, lang: str, roc: bool = False) -> str:
    """"March 2020" / 「2020 年 3 月」 (ROC: 「民國 109 年 3 月」); a week names its first and last day."""
    if view == "week":
        period = week_period(anchor)
        return t("cal.week_title", lang, start=day_text(period.start, lang, roc), end=day_text(period.end, lang, roc))
    return t("cal.month_title", lang, month=t(f"cal.month.{anchor.month}", lang), year=year_text(anchor.year, lang, roc),
             m=anchor.month)


def day_text(day: date, lang: str, roc: bool = False) -> str:
    return t("cal.day_text", lang, year=year_text(day.year, lang, roc), month=t(f"cal.month.{day.month}", lang),
             m=day.month, d=day.day, weekday=t(f"cal.weekday.{day.weekday()}", lang))


def status_label(status: str, lang: str) -> str:
    """An event status (planned, held…), or what an anniversary's or an expiry's "status" stands for."""
    source = {"anniversary": "anniversaries", "expiry": "expiries"}.get(status)
    return t(f"cal.source.{source}", lang) if source else t(f"status.{status}", lang)


def by_day(events: list[CalEvent], period: Period) -> dict[date, list[CalEvent]]:
    """Each day of `period` with the events on it (an event of several days on each of them)."""
    days: dict[date, list[CalEvent]] = {}
    day = period.start
    while day <= period.end:
        days[day] = []
        day += timedelta(days=1)
    for event in events:
        day = max(event.start, period.start)
        while day <= min(event.end, period.end):
            days[day].append(event)
            day += timedelta(days=1)
    return days


def _link(event: CalEvent, lang: str, detail: bool = False) -> str:
    label = escape(event.title)
    if detail and event.status not in ("anniversary", "expiry", ""):
        label += f" <small>({escape(t(f'status.{event.status}', lang))})</small>"
    style = (f"display:block;margin:1px 0;padding:1px 4px;border-radius:3px;background:{event.color};color:#fff;"
             "text-decoration:none;font-size:0.78rem;line-height:1.25;overflow:hidden;text-overflow:ellipsis;"
             + ("" if detail else "white-space:nowrap;"))
    href = f"{event.page}?id={event.record_id}&amp;lang={escape(lang)}"
    return (f'<a class="cal-event" data-source="{escape(event.source)}" href="{href}" style="{style}" '
            f'title="{escape(event.title)}">{label}</a>')


def _head(lang: str) -> str:
    cells = "".join(f'<th style="padding:4px;text-align:left;font-weight:600">{escape(t(f"cal.weekday.{i}", lang))}</th>'
                    for i in range(7))
    return f"<thead><tr>{cells}</tr></thead>"


def grid_html(view: str, anchor: date, events: list[CalEvent], lang: str, today: date) -> str:
    """The month (or week) as a table of days, each listing its events as links."""
    period = week_period(anchor) if view == "week" else month_period(anchor)
    days = by_day(events, period)
    rows = []
    week: list[str] = []
    for day, found in days.items():
        shown = found if view == "week" else found[:SHOWN_PER_DAY]
        more = len(found) - len(shown)
        faded = "color:#aaa;" if view == "month" and day.month != anchor.month else ""
        mark = "background:#fef9e7;" if day == today else ""
        cell = (f'<td class="cal-day" data-day="{day.isoformat()}" style="vertical-align:top;border:1px solid #ddd;'
                f'padding:3px;width:14.28%;height:{"260" if view == "week" else "96"}px;{mark}">'
                f'<div style="font-size:0.8rem;{faded}">{day.day}</div>'
                + "".join(_link(e, lang, detail=view == "week") for e in shown)
                + (f'<div style="font-size:0.72rem;color:#666">{escape(t("cal.more", lang, n=more))}</div>' if more else "")
                + "</td>")
        week.append(cell)
        if len(week) == 7:
            rows.append("<tr>" + "".join(week) + "</tr>")
            week = []
    return (f'<table class="cal-grid" data-view="{view}" style="width:100%;border-collapse:collapse;'
            f'table-layout:fixed">{_head(lang)}<tbody>{"".join(rows)}</tbody></table>')


def legend_html(sources: tuple[str, ...], lang: str) -> str:
    """The colour of each source shown."""
    items = "".join(f'<span style="display:inline-block;margin:0 12px 4px 0;font-size:0.85rem">'
                    f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;background:'
                    f'{SOURCES[s].color};vertical-align:middle;margin-right:4px"></span>{escape(SOURCES[s].label(lang))}'
                    f"</span>" for s in sources if s in SOURCES)
    return f'<div class="cal-legend">{items}</div>'


def agenda_rows(events: list[CalEvent], lang: str, roc: bool = False) -> tuple[list[tuple[str, ...]], list[tuple[str, int]]]:
    """The agenda as (when, what, kind, status) texts and, per row, the (page, record id) it opens."""
    cells: list[tuple[str, ...]] = []
    targets: list[tuple[str, int]] = []
    for e in events:
        when = day_text(e.start, lang, roc) + (f" – {day_text(e.end, lang, roc)}" if e.end != e.start else "")
        status = "" if e.status in ("anniversary", "expiry", "") else t(f"status.{e.status}", lang)
        cells.append((when, e.title, SOURCES[e.source].label(lang) if e.source in SOURCES else e.source, status))
        targets.append((e.page, e.record_id))
    return cells, targets
