"""Settings read from the environment, with embedded defaults."""

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LIAISON_DATA_DIR", PROJECT_ROOT / "data"))
DEFAULT_SQLITE_PATH = DATA_DIR / "liaison.db"
BUNDLED_FONTS = PROJECT_ROOT / "fonts"  # fonts an offline installation brings (scripts/bundle; git-ignored)
OFFICE_TIME_ZONE = "Asia/Taipei"  # the office's clock: naive times, "today", screens and documents
OFFICE_ZONE = ZoneInfo(OFFICE_TIME_ZONE)
PAGE_SIZE = 50  # rows per page of a list (records, the audit log) on screen
# the largest file a browser may upload (megabytes): Streamlit's `server.maxUploadSize` in .streamlit/config.toml
# and nginx's `client_max_body_size` in deploy/nginx-liaison.conf say the same (tests/deploy checks they agree)
UPLOAD_LIMIT_MB = 50


def database_url() -> str:
    """The database to use: `DATABASE_URL`, else SQLite in `data/`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def local_username() -> str:
    """The user the app acts as until someone logs in (configured local user); an empty `LIAISON_USER`
    counts as unset."""
    return os.environ.get("LIAISON_USER", "").strip() or "admin"


def default_language() -> str:
    lang = os.environ.get("LIAISON_LANG", "zh-TW")
    return lang if lang in ("zh-TW", "en") else "zh-TW"


def cjk_font_path() -> str | None:
    """A CJK font named in settings, if any (see crm.documents.fonts for the search)."""
    return os.environ.get("LIAISON_CJK_FONT") or None


def today() -> date:
    """The office's day (Taipei), the one clock for "today": `LIAISON_TODAY` (ISO date) sets it for tests and demos."""
    fixed = os.environ.get("LIAISON_TODAY", "").strip()
    return date.fromisoformat(fixed) if fixed else datetime.now(OFFICE_ZONE).date()


def file_store_dir() -> Path | None:
    """The directory that keeps uploaded files (`LIAISON_FILE_STORE`); unset: files are kept in the database."""
    raw = os.environ.get("LIAISON_FILE_STORE", "").strip()
    return Path(raw) if raw else None
