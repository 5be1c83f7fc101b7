"""Timestamps for screens: stored in UTC, shown in the office's time zone (Asia/Taipei)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

OFFICE_ZONE = ZoneInfo("Asia/Taipei")


def local_time(value: datetime | None, lang: str = "zh-TW") -> str:
    """`2020-03-05 14:07` in Taipei time ('' for None); the same digits in both languages."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(OFFICE_ZONE).strftime("%Y-%m-%d %H:%M")


def zone(name: str | None) -> ZoneInfo:
    """The record's time zone by name, the office's when unknown or unset."""
    from zoneinfo import ZoneInfoNotFoundError

    try:
        return ZoneInfo(name) if name else OFFICE_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return OFFICE_ZONE
