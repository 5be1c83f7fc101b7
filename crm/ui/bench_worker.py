"""A benchmark worker: one process on one database, timing what the driver (crm.bench.run) asks, as JSON lines.

Lives in crm/ui/ because it drives the Streamlit app (AppTest). Run as
`python -m crm.ui.bench_worker <database-url>`; each stdin line is a request, each stdout line a
result. One process per database keeps the pages' per-process caches honest (as on a real server).
"""

import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

from crm.ui import streamlit_internals
from crm.ui.streamlit_internals import ServerPagesManager as ServerPagesManager  # its public name here, kept

ROOT = Path(__file__).resolve().parent.parent.parent
APP = ROOT / "streamlit_app.py"


def peak_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


_CURRENT: dict = {}


def share_script_cache() -> None:
    """Keep compiled scripts between runs, as a Streamlit server does
    (crm.ui.streamlit_internals.share_apptest_script_cache)."""
    streamlit_internals.share_apptest_script_cache()


def run_as_a_server_does() -> None:
    """Run streamlit_app.py and then the page on every AppTest rerun (see ServerPagesManager)."""
    streamlit_internals.patch_apptest_to_rerun_main()


def wait_exactly() -> None:
    """Time a run to its end, not to the next tick of AppTest's 1 ms polling loop
    (crm.ui.streamlit_internals.join_apptest_script_thread)."""
    streamlit_internals.join_apptest_script_thread()


_TOKENS: dict[str, str] = {}


def _session_token(username: str) -> str:
    """One server-side session per simulated user, as a browser keeps its cookie."""
    if username not in _TOKENS:
        from crm.accounts import sessions
        from crm.accounts.users import actor_by_name

        _TOKENS[username] = sessions.start(actor_by_name(username), "bench")
    return _TOKENS[username]


def open_app(page: str | None = None, script: str | None = None, lang: str = "en", slot: str = "at") -> dict:
    """Open `pages/<page>.py` as tests/support/apptest.open_page does (or the floor `script`) and time its first run.

    The session is kept in `slot` ("at" for the page measured, "floor" for the floor timed beside it)."""
    from crm.ui.session import AUTH_KEY

    at = streamlit_internals.apptest_from_file(script or str(APP), default_timeout=300)
    at.query_params["lang"] = lang
    at.session_state[AUTH_KEY] = {"token": _session_token(_CURRENT["user"])}
    if page:
        at.switch_page(f"pages/{page}.py")
    _CURRENT[slot] = at
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 5), "errors": _errors(at), "peak_mb": peak_mb(), **_drawn(at)}


def rerun(slot: str = "at") -> dict:
    """Run the open page again (same session, as when a user changes a widget) and time it."""
    at = _CURRENT[slot]
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 5), "errors": _errors(at), "peak_mb": peak_mb(), **_drawn(at)}


def _drawn(at) -> dict:
    """What the run drew, to check that it is the page asked for, inside the app shell (its sidebar)."""
    return {"title": at.title[0].value if at.title else None, "sidebar": len(at.sidebar)}


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def time_export(kind: str, fmt: str, lang: str = "en") -> dict:
    from crm.documents.exports import list_export

    start = time.perf_counter()
    data = list_export(kind, fmt, lang)
    return {"seconds": round(time.perf_counter() - start, 3), "bytes": len(data), "peak_mb": peak_mb()}


def time_import(rows: int, url: str) -> dict:
    from crm.bench.imports import bench

    result = bench(rows, url)
    return {**{k: v for k, v in result.items() if k != "batch_id"}, "peak_mb": peak_mb()}


def handle(request: dict, url: str) -> dict:
    op = request["op"]
    if op == "open":
        return open_app(request.get("page"), request.get("script"), request.get("lang", "en"),
                        request.get("slot", "at"))
    if op == "rerun":
        return rerun(request.get("slot", "at"))
    if op == "export":
        return time_export(request["kind"], request["fmt"], request.get("lang", "en"))
    if op == "import":
        return time_import(request["rows"], url)
    if op == "ping":
        return {"ok": True, "peak_mb": peak_mb()}
    raise ValueError(f"unknown op {op}")


def main(argv: list[str]) -> int:
    url = argv[0]
    os.environ["DATABASE_URL"] = url
    os.environ.pop("LIAISON_USER", None)  # signed in through the session, as in an office with log-in
    from crm.accounts.users import ensure_local_user

    _CURRENT["user"] = ensure_local_user().username
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever a page prints must not corrupt the protocol
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    share_script_cache()
    run_as_a_server_does()
    wait_exactly()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = {"ok": True, **handle(json.loads(line), url)}
        except Exception as exc:  # noqa: BLE001 - reported to the driver, which prints it as a note
            result = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                      "trace": traceback.format_exc()[-2000:]}
        out.write(json.dumps(result) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
