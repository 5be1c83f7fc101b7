"""Calendar files: planned visits, trips and meetings as iCalendar (.ics); contacts as vCard (.vcf).

Rows come from `crm.records.queries.list_records` page by page, with the same filters as the lists.
Places are named by name. Event UIDs are stable (`<kind>-<id>@liaison`), so a re-import
updates the office calendar instead of duplicating entries.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from crm.config import OFFICE_TIME_ZONE
from crm.config import today as office_today
from crm.documents.exports import check_kind
from crm.geo.countries import country_name
from crm.i18n import pick, t
from crm.models.kinds import UPCOMING_STATUSES, kind_names
from crm.records.names import Names, entity_name
from crm.records.queries import list_records

CALENDAR_KINDS = kind_names(scheduled=True)
ICS_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED",
              "postponed": "TENTATIVE"}
CHUNK = 1000


def _pages(kind_name: str, **filters):
    filters = {k: v for k, v in filters.items() if k not in ("page", "page_size")}
    page = 1
    while True:
        result = list_records(kind_name, page=page, page_size=CHUNK, **filters)
        yield result.rows
        if page * CHUNK >= result.total or not result.rows:
            return
        page += 1


def _place(kind_name: str, row: dict, names: Names) -> str:
    for col in ("origin_city_id", "counterpart_city_id", "organiser_city_id"):
        if row.get(col):
            return names.name("cities", row[col])
    return ""


def _itineraries(ids: list[int], names: Names) -> dict[int, str]:
    from sqlalchemy import select
    from sqlmodel import col

    from crm import models as m
    from crm.store.writes import unit

    if not ids:
        return {}
    st = m.DelegationStop
    with unit(None) as s:
        rows = list(s.execute(select(col(st.delegation_id), col(st.city_id)).where(col(st.delegation_id).in_(ids))
                              .order_by(col(st.delegation_id), col(st.seq))))
    names.load({"cities": {r.city_id for r in rows}})
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(r.delegation_id, []).append(names.name("cities", r.city_id))
    return {k: ", ".join(v) for k, v in out.items()}


def _event(kind_name: str, row: dict, lang: str, place: str) -> Event | None:
    start = row.get("start_on") or row.get("planned_start")
    if start is None:
        return None
    end = row.get("end_on") or row.get("planned_end") or start
    event = Event()
    event.add("uid", f"{kind_name}-{row['id']}@liaison")
    event.add("dtstamp", datetime.now(UTC))
    title = pick(lang, row.get("title_en"), row.get("title_zh"))
    event.add("summary", f"{t(f'kind.{kind_name}', lang)}: {title}")
    starts_at = row.get("starts_at")
    if isinstance(starts_at, datetime):
        zone = ZoneInfo(row.get("timezone") or OFFICE_TIME_ZONE)
        begin = starts_at if starts_at.tzinfo else starts_at.replace(tzinfo=zone)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=row.get("duration_minutes") or 60))
    else:
        event.add("dtstart", start if isinstance(start, date) else date.fromisoformat(str(start)))
        event.add("dtend", (end if isinstance(end, date) else date.fromisoformat(str(end))) + timedelta(days=1))
    if place:
        event.add("location", place)
    lines = [t(f"status.{row.get('status')}", lang)]
    for key in ("leader_name", "purpose", "purposes", "topic", "host", "status_reason", "notes"):
        if row.get(key):
            lines.append(f"{t(f'doc.col.{key}', lang)}: {row[key]}")
    if row.get("headcount"):
        lines.append(f"{t('doc.col.headcount', lang)}: {row['headcount']}")
    event.add("description", "\n".join(lines))
    event.add("status", ICS_STATUS.get(row.get("status") or "", "TENTATIVE"))
    return event


def _calendar(lang: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Liaison//International affairs CRM//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", t("cal.name", lang))
    return cal


def _add(cal: Calendar, kind_name: str, rows: list[dict], lang: str, names: Names,
         statuses: tuple[str, ...] | None = None, seen: set[tuple[str, int]] | None = None) -> None:
    names.load({"cities": {r.get(c) for r in rows for c in ("origin_city_id", "counterpart_city_id", "organiser_city_id")}})
    stops = _itineraries([r["id"] for r in rows], names) if kind_name == "delegations" else {}
    for row in rows:
        if (statuses and row.get("status") not in statuses) or (seen is not None and (kind_name, row["id"]) in seen):
            continue
        if seen is not None:
            seen.add((kind_name, row["id"]))
        event = _event(kind_name, row, lang, stops.get(row["id"]) or _place(kind_name, row, names))
        if event is not None:
            cal.add_component(event)


def events_calendar(kinds: tuple[str, ...] = CALENDAR_KINDS, lang: str = "zh-TW", *,
                    statuses: tuple[str, ...] | None = None, **filters) -> Calendar:
    """The events of `kinds` that `list_records` returns for `filters` (and `statuses`), as one calendar."""
    cal = _calendar(lang)
    names = Names(lang)
    for kind_name in kinds:
        check_kind(kind_name)
        for rows in _pages(kind_name, **filters):
            _add(cal, kind_name, rows, lang, names, statuses)
    return cal


def events_ics(kinds: tuple[str, ...] = CALENDAR_KINDS, lang: str = "zh-TW", *,
               statuses: tuple[str, ...] | None = None, **filters) -> bytes:
    """`events_calendar(...)` as an .ics file's bytes."""
    return events_calendar(kinds, lang, statuses=statuses, **filters).to_ical()


def briefing_ics(briefing, today: date | None = None) -> bytes:
    """A briefing's events: the trip or visit itself, else what is planned with its cities from today on."""
    from crm.periods import Period
    from crm.records.queries import get_record

    lang = briefing.lang
    cal = _calendar(lang)
    names = Names(lang)
    if briefing.source in ("delegations", "visits") and briefing.record_id:
        row = get_record(briefing.source, briefing.record_id)
        if row is not None:
            for key in ("start_on", "end_on", "planned_start", "planned_end"):
                if isinstance(row.get(key), str):
                    row[key] = date.fromisoformat(row[key])
            _add(cal, briefing.source, [row], lang, names)
        return cal.to_ical()
    today = today or office_today()
    ahead = Period(today, date(today.year + 5, 12, 31), "ahead")
    seen: set[tuple[str, int]] = set()
    for city_id in briefing.city_ids:
        for kind_name in CALENDAR_KINDS:
            for rows in _pages(kind_name, city_id=city_id, period=ahead):
                _add(cal, kind_name, rows, lang, names, UPCOMING_STATUSES, seen)
    return cal.to_ical()


def _people_by_id(ids: list[int]) -> Iterator[list[dict]]:
    from sqlalchemy import select
    from sqlmodel import col

    from crm import models as m
    from crm.documents.columns import table_of
    from crm.store.writes import unit

    p = m.Person
    cols = [c for c in table_of(p).columns if c.name != "search_text"]
    for start in range(0, len(ids), CHUNK):
        with unit(None) as s:
            stmt = select(*cols).where(col(p.id).in_(ids[start:start + CHUNK]), col(p.deleted_at).is_(None))
            yield [dict(r._mapping) for r in s.execute(stmt)]


def people_vcf(lang: str = "zh-TW", *, ids: list[int] | None = None, **filters) -> bytes:
    """Contacts (people: `ids`, else what `list_records` returns for `filters`) as vCard 3.0."""
    import vobject

    names = Names(lang)
    cards = []
    for rows in (_people_by_id(list(ids)) if ids is not None else _pages("people", **filters)):
        names.load({"organisations": {r.get("organisation_id") for r in rows}, "cities": {r.get("city_id") for r in rows}})
        for row in rows:
            card = vobject.vCard()
            full = entity_name(row, lang)
            other = pick("en" if lang == "zh-TW" else "zh-TW", row.get("name_en"), row.get("name_zh"))
            card.add("fn").value = full
            card.add("n").value = vobject.vcard.Name(family="", given=full)
            if other and other != full:
                card.add("nickname").value = other
            org = names.name("organisations", row.get("organisation_id"))
            if org:
                card.add("org").value = [org]
            title = pick(lang, row.get("title_en"), row.get("title_zh"))
            if title:
                card.add("title").value = title
            for key, prop in (("email", "email"), ("phone", "tel")):
                if row.get(key):
                    card.add(prop).value = row[key]
            city = names.name("cities", row.get("city_id"))
            if row.get("address") or city:
                card.add("adr").value = vobject.vcard.Address(street=row.get("address") or "", city=city,
                                                              country=country_name(row.get("country_code"), lang))
            note = " / ".join(x for x in (row.get("form_of_address"), row.get("protocol_notes")) if x)
            if note:
                card.add("note").value = note
            card.add("uid").value = f"people-{row['id']}@liaison"
            cards.append(card.serialize())
    return "".join(cards).encode("utf-8")
