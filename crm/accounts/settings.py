"""Application settings kept in the database (home city, default language...), changed by an admin.

Values are strings in the `Setting` table, written only through `crm.store.writes.set_setting` (audited).
Read fresh on every call (one primary-key lookup), so several app servers agree at once.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from crm import config
from crm import models as m
from crm.errors import ValidationFailed
from crm.i18n import LANGUAGES
from crm.store.writes import Actor, set_setting, unit

HOME_CITY = "home_city_id"
DEFAULT_LANGUAGE = "default_language"
ORGANISATION_EN = "organisation_en"
ORGANISATION_ZH = "organisation_zh"
IDLE_MINUTES = "idle_minutes"  # a session ends after this long without a click (0 = never)
SESSION_HOURS = "session_hours"  # and after this long however busy
PASSWORD_MIN_LENGTH = "password_min_length"  # characters a new password needs (crm.accounts.passwords; never < 8)
FILE_MAX_MB = "file_max_mb"  # the largest file an upload may be (crm.files.attach)
FILE_MAX_MB_DEFAULT = 25
IMPORT_MAX_MB = "import_max_mb"  # the largest file an import takes (crm.imports.limits; default config.UPLOAD_LIMIT_MB)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: str  # city | language | text | int | bool
    max_length: int = 200
    low: int = 0  # the range of an int setting
    high: int = 0


SPECS = {s.key: s for s in (
    SettingSpec(HOME_CITY, "city"),
    SettingSpec(DEFAULT_LANGUAGE, "language"),
    SettingSpec(ORGANISATION_EN, "text"),
    SettingSpec(ORGANISATION_ZH, "text"),
    SettingSpec(IDLE_MINUTES, "int", low=0, high=24 * 60),
    SettingSpec(SESSION_HOURS, "int", low=1, high=24 * 30),
    SettingSpec(PASSWORD_MIN_LENGTH, "int", low=8, high=128),
    SettingSpec(FILE_MAX_MB, "int", low=1, high=config.UPLOAD_LIMIT_MB),  # no larger than the browser may upload
    SettingSpec(IMPORT_MAX_MB, "int", low=1, high=1024),  # the CLI may take more than a browser uploads
)}


def get(key: str, default: str = "", *, session: Session | None = None) -> str:
    try:
        with unit(session) as s:
            row = s.get(m.Setting, key)
            return row.value if row is not None and row.value != "" else default
    except Exception:  # a setting never breaks a screen: fall back to the default
        if session is not None:
            raise
        return default


def all_settings(*, session: Session | None = None) -> dict[str, str]:
    with unit(session) as s:
        return {r.key: r.value for r in s.exec(select(m.Setting)).scalars()}


def home_city_id(*, session: Session | None = None) -> int | None:
    """The office's own city (the map's centre and origin of trips); None when not set or deleted."""
    value = get(HOME_CITY, session=session)
    if value.isdigit():
        with unit(session) as s:
            city = s.get(m.City, int(value))
            if city is not None and city.deleted_at is None:
                return city.id
    return _taipei(session)


def _taipei(session: Session | None) -> int | None:
    """Fallback home city: Taipei, if it is among the cities."""
    with unit(session) as s:
        row = s.exec(select(col(m.City.id)).where(col(m.City.country_code) == "TW", col(m.City.name_en) == "Taipei",
                                                  col(m.City.deleted_at).is_(None)).limit(1)).first()
        return row[0] if row else None


def default_language() -> str:
    """The language for a new session: the admin's setting, else `LIAISON_LANG`, else zh-TW."""
    value = get(DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else config.default_language()


def save(actor: Actor, key: str, value, *, session: Session | None = None) -> None:
    """Validate and store one setting (admin only; audited by the write path)."""
    from crm.text import clean

    spec = SPECS.get(key)
    if spec is None:
        raise ValidationFailed({"key": ("err.unknown_field", {"field": str(key)[:50]})})
    text = clean("" if value is None else str(value))
    if spec.kind == "language" and text not in LANGUAGES:
        raise ValidationFailed({key: ("err.unknown_choice", {"value": text[:50]})})
    if spec.kind == "bool" and text not in ("", "0", "1"):
        raise ValidationFailed({key: ("err.unknown_choice", {"value": text[:50]})})
    if spec.kind == "int" and text and not (text.isdigit() and spec.low <= int(text) <= spec.high):
        raise ValidationFailed({key: ("err.out_of_range", {"low": spec.low, "high": spec.high})})
    if spec.kind == "city" and text:
        with unit(session) as s:
            city = s.get(m.City, int(text)) if text.isdigit() else None
            if city is None or city.deleted_at is not None:
                raise ValidationFailed({key: ("err.unknown_reference", {"kind": "", "id": text[:20]})})
    if len(text) > spec.max_length:
        raise ValidationFailed({key: ("err.too_long", {"max": spec.max_length})})
    set_setting(actor, key, text, session=session)


def file_max_bytes(*, session: Session | None = None) -> int:
    """The size limit of one uploaded file, in bytes (setting `file_max_mb`, default 25 MB)."""
    value = get(FILE_MAX_MB, session=session)
    return (int(value) if value.isdigit() and int(value) > 0 else FILE_MAX_MB_DEFAULT) * 1024 * 1024


# --- e-mail through the office's SMTP relay (crm.reminders.mail); off until an administrator turns it on -----
MAIL_ENABLED = "mail_enabled"  # "1" = send
SMTP_HOST = "smtp_host"
SMTP_PORT = "smtp_port"
SMTP_STARTTLS = "smtp_starttls"  # "1" = STARTTLS before sign-in
SMTP_SENDER = "smtp_sender"
SMTP_USER = "smtp_user"  # optional; the password comes from LIAISON_SMTP_PASSWORD (never stored, never audited)
for _spec in (SettingSpec(MAIL_ENABLED, "bool"), SettingSpec(SMTP_HOST, "text"),
              SettingSpec(SMTP_PORT, "int", low=1, high=65535), SettingSpec(SMTP_STARTTLS, "bool"),
              SettingSpec(SMTP_SENDER, "text", max_length=254), SettingSpec(SMTP_USER, "text")):
    SPECS[_spec.key] = _spec
