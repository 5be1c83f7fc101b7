"""Stored values as staff read them on screen: names not ids, localized choices, one date format."""

from datetime import date, datetime

from crm.geo.countries import country_name
from crm.i18n import date_text, datetime_text
from crm.periods import format_partial
from crm.records.formspec import F
from crm.ui.shell import lang, tr
from crm.ui.timefmt import zone


def ui_date(day: date | None) -> str:
    """A date in the one format of the user's language, as the date fields show it (2020/01/13, 2020-01-13)."""
    return date_text(day, lang())


def day_text(value, zone_name: str | None = None) -> str:
    """A stored date or datetime (ISO text or value) as shown on screen; datetimes in the record's zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone(zone_name))
        return datetime_text(value, lang())
    return ui_date(value)


def partial_day(value, precision: str | None) -> str:
    """A stored date known to the day, month or year (ISO text or date) as it is known: "2021 年（民國 110 年）"."""
    if value in (None, ""):
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return partial_shown(day, precision)


def partial_shown(day: date | None, precision: str | None) -> str:
    """A date known to the day, month or year, as shown: a whole day in the one date format (2021/03/05),
    a year or month in words ("2021 年（民國 110 年）", "March 2021")."""
    if not precision or precision == "day":
        return ui_date(day)
    return format_partial(day, precision, lang())


def show_value(f: F, value, names: dict[str, dict[int, str]], record: dict | None = None) -> str:
    """A stored value of field `f` (names: kind → id → label; `_timezone` the record's zone)."""
    if value in (None, ""):
        return ""
    if f.widget == "ref":
        assert f.ref is not None  # a ref field names its kind
        return names.get(f.ref, {}).get(int(value), f"#{value}")
    if f.widget == "choice":
        return tr(f"{f.prefix}.{value}")
    if f.widget == "country":
        return country_name(value, lang())
    if f.widget in ("date", "datetime"):
        return day_text(value, names.get("_timezone"))  # type: ignore[arg-type]
    if f.widget == "partial":
        return partial_day(value, (record or {}).get(f"{f.name}_precision"))
    if f.widget == "bool":
        return tr("ui.yes") if value else tr("ui.no")
    if f.widget == "int":
        return f"{int(value):,}" if int(value) >= 10_000 else str(value)  # population; not years
    return str(value)


def cell_text(f: F, value, names: dict[str, dict[int, str]], row: dict | None = None) -> str:
    """A child row's value in its one-line summary (a ticked box says which box)."""
    if f.widget == "bool":
        return tr(f.label_key) if value else ""
    return show_value(f, value, names, row)
