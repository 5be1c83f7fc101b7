"""Every value a page reads from its URL (`?id=`, `?period=`, filters) is read here, and only here.

Anyone can type or forge a link, so each reader accepts only what the page can use and answers
anything else in one way: `BadParam`, which the page turns into its own message ("there is no
visit no. …", "not a period…"), never a traceback.

- `record_id(name)`, `positive_int(name)`: ASCII digits only (not "²", "１", "-1", "1e3"), from 1 to
  the largest id a database column holds (2³¹ − 1: PostgreSQL's integer);
- `period(name)` / `read_period(text)`: what `crm.periods.parse_period` reads, years 1900–2100;
- `choice(name, allowed)`: one of the allowed values, else the default (an unknown filter is ignored);
- `text(name)`: printable text without control characters, at most `MAX_TEXT` characters.
"""

import re
from collections.abc import Callable, Container
from datetime import date

import streamlit as st

from crm.periods import Period, parse_period
from crm.store.validation import MAX_INT
from crm.text import clean

MAX_TEXT = 200  # a search or a period typed in a link; anything longer is cut
SHOWN = 20  # characters of a refused value repeated in the page's message
_ID = re.compile(r"[0-9]{1,10}")  # ASCII digits: str.isdigit() also takes "²" and "١٢"


class BadParam(ValueError):
    """A URL parameter the page cannot use; `shown` is the value as the page's message may repeat it."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"bad URL parameter {name!r}")
        self.name = name
        self.value = value

    @property
    def shown(self) -> str:
        cut = "".join(c if c.isprintable() else "\ufffd" for c in self.value[:SHOWN])
        return cut + ("…" if len(self.value) > SHOWN else "")


def raw(name: str) -> str:
    """The parameter as given (empty when absent): for the readers below, not for pages."""
    value = st.query_params.get(name, "")
    return value if isinstance(value, str) else ""


def given(name: str) -> bool:
    """Whether the URL carries a non-empty `name`."""
    return raw(name) != ""


def text(name: str, default: str = "", max_len: int = MAX_TEXT) -> str:
    """Free text (a search): control and direction-override characters removed, cut to `max_len`."""
    value = clean(raw(name)[: max_len * 2])[:max_len]
    return value or default


def flag(name: str) -> bool:
    """`?name=1`."""
    return raw(name) == "1"


def read_id(value: str, name: str = "id") -> int:
    """A record id (or page number) typed in a link or a box: ASCII digits, 1 to 2³¹ − 1; `BadParam` otherwise."""
    if not _ID.fullmatch(value) or not 0 < int(value) <= MAX_INT:
        raise BadParam(name, value)
    return int(value)


def positive_int(name: str, default: int | None = None) -> int | None:
    """`?name=` as a whole number from 1 to 2³¹ − 1 in ASCII digits; `default` when absent; `BadParam` otherwise."""
    value = raw(name)
    return default if value == "" else read_id(value, name)


def record_id(name: str = "id") -> int | None:
    """A record's id (`?id=38`); None when absent; `BadParam` for anything that cannot be an id."""
    return positive_int(name)


def choice(name: str, allowed: Container[str] | Callable[[str], bool], default: str = "") -> str:
    """One of `allowed` (a collection, or a test), else `default`: an unknown filter value is ignored."""
    value = raw(name)
    if not value or len(value) > MAX_TEXT:
        return default
    ok = allowed(value) if callable(allowed) else value in allowed
    return value if ok else default


def read_period(value: str, name: str = "period") -> Period:
    """A period typed in a link or a box (2020H1, 2020, 109H1, 2020-01-01..2020-06-30); `BadParam` otherwise."""
    if len(value) > 40:
        raise BadParam(name, value)
    try:
        found = parse_period(value)
    except (ValueError, OverflowError):
        raise BadParam(name, value) from None
    if not (1900 <= found.start.year <= 2100 and 1900 <= found.end.year <= 2100):
        raise BadParam(name, value)
    return found


def period(name: str = "period") -> Period | None:
    """`?period=` as a Period; None when absent; `BadParam` when it is not a period."""
    value = raw(name).strip()
    return None if value == "" else read_period(value, name)


def day(name: str = "day") -> date | None:
    """`?day=2020-01-13` (ISO date, years 1900–2100); None when absent; `BadParam` otherwise."""
    value = raw(name).strip()
    if value == "":
        return None
    try:
        found = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        found = None
    if found is None or not 1900 <= found.year <= 2100:
        raise BadParam(name, value)
    return found


def choices(name: str, allowed: Container[str]) -> tuple[str, ...]:
    """`?name=a,b` as the allowed values among them (in the given order; unknown ones ignored); () when none."""
    value = raw(name)
    if len(value) > MAX_TEXT * 5:
        return ()
    return tuple(dict.fromkeys(v for v in value.split(",") if v in allowed))
