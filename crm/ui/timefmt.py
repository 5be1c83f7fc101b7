"""Timestamps for screens: stored in UTC, shown in the office's time zone (`crm.config.OFFICE_ZONE`)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crm.config import OFFICE_ZONE
from crm.i18n import datetime_text


def local_time(value: datetime | None, lang: str) -> str:
    """A stored UTC timestamp in Taipei time, in the date format of `lang` ('' for None):
    zh-TW `2020/03/05 14:07`, en `2020-03-05 14:07` (crm.i18n.datetime_text)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return datetime_text(value.astimezone(OFFICE_ZONE), lang)


def zone(name: str | None) -> ZoneInfo:
    """The record's time zone by name, the office's when unknown or unset."""
    from zoneinfo import ZoneInfoNotFoundError

    try:
        return ZoneInfo(name) if name else OFFICE_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return OFFICE_ZONE
