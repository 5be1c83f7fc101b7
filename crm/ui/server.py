"""The app server: Streamlit's own app (streamlit_app.py and its pages) with Liaison's HTTP routes beside it.

Run it as `streamlit run crm/ui/server.py` (scripts/run does): the routes that set and clear the session
cookie (crm.accounts.routes) are served by the same process and port. On start it migrates the database
and, while no account can sign in, prints a one-time setup code to its log for the first-administrator
form (crm.accounts.setup).
"""

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `streamlit run crm/ui/server.py` puts only crm/ui on the path
    sys.path.insert(0, str(ROOT))

from crm.accounts.routes import base_path, routes  # noqa: E402 - needs the project root on the path, set above
from crm.calendar.routes import routes as calendar_routes  # noqa: E402 - likewise

log = logging.getLogger("liaison")


def announce_setup_code() -> str | None:
    """Migrate the database; while no account can sign in, issue a setup code and print it (returned too)."""
    from crm import config
    from crm.accounts import setup
    from crm.accounts.auth import needs_first_admin
    from crm.store.engine import ensure_ready, get_engine

    ensure_ready(get_engine(config.database_url()))
    if not needs_first_admin():
        return None
    code = setup.issue_code()
    message = (f"Liaison: no account can sign in yet. Setup code for the first administrator: {code} "
               f"(valid {setup.CODE_HOURS} h; `python -m crm init` prints a new one)")
    print(message, flush=True)  # the server's own log (stdout): once, whatever Streamlit's logging does
    return code


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    try:
        announce_setup_code()
    except Exception as exc:  # noqa: BLE001 - an unreachable database is shown in the app, not a dead server
        log.error("database not ready at start: %s", str(exc).splitlines()[0][:300] if str(exc) else exc)
    yield


_base = st.get_option("server.baseUrlPath")
app = st.App(ROOT / "streamlit_app.py", routes=routes(_base) + calendar_routes(base_path(_base)), lifespan=lifespan)
