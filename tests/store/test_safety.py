"""Nothing is ever lost: concurrent edits (a real race on PostgreSQL), kill -9 during an import or a bulk write,
hostile input to every kind of the write path (hypothesis), no user text rendered as HTML.

The figures (inputs tried, crashes, partial writes, lost updates) are written to
test-artifacts/safety-figures.json for the issue note.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import types
import typing
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.errors import LiaisonError, StaleRecord
from crm.models.base import HIDDEN_FIELDS
from crm.models.kinds import KINDS
from crm.records.audit import conflict_rows
from crm.records.queries import get_record
from crm.store import writes
from crm.store.engine import get_engine
from tests.support.apptest import ROOT

FIGURES: dict[str, dict] = {}
ARTIFACTS = ROOT / "test-artifacts"


def _figure(name: str, **values) -> None:
    FIGURES.setdefault(name, {}).update(values)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "safety-figures.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old[name] = FIGURES[name]
    path.write_text(json.dumps(old, indent=1, ensure_ascii=False))


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()[0]


# ---------------------------------------------------------------- concurrent edits


def test_second_save_of_a_changed_record_is_refused_with_both_versions(engine, admin, staff):
    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    writes.update(staff, "cities", cid, {"name_native": "Praha"}, 1)
    mine = {"name_native": "Prag", "name_en": "Prague"}
    with pytest.raises(StaleRecord) as caught:
        writes.update(admin, "cities", cid, mine, 1)
    assert "clerk" in caught.value.message("en") and "clerk" in caught.value.message("zh-TW")
    assert conflict_rows(caught.value.theirs, mine) == [{"field": "name_native", "theirs": "Praha", "mine": "Prag"}]
    assert get_record("cities", cid)["name_native"] == "Praha"
    with pytest.raises(StaleRecord):
        writes.delete(admin, "cities", cid, 1)
    assert get_record("cities", cid)["deleted_at"] is None


def _race(url: str, admin, rounds: int) -> dict:
    """Two threads save the same version of one record at the same moment, `rounds` times."""
    cid = writes.create(admin, "cities", {"name_en": "Race", "country_code": "CZ"})
    outcome = {"rounds": rounds, "both_saved": 0, "none_saved": 0, "lost_updates": 0, "errors": 0}
    version = 1
    for n in range(rounds):
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def save(name: str, v=version, n=n, barrier=barrier, results=results) -> None:
            barrier.wait()
            try:
                results[name] = writes.update(admin, "cities", cid, {"notes": f"{name}-{n}"}, v)
            except StaleRecord:
                results[name] = "stale"
            except Exception as exc:  # noqa: BLE001 - counted as an error figure
                results[name] = exc

        threads = [threading.Thread(target=save, args=(name,)) for name in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        saved = [k for k, v in results.items() if isinstance(v, int)]
        outcome["errors"] += sum(isinstance(v, Exception) for v in results.values())
        if len(saved) == 2:
            outcome["both_saved"] += 1
        if not saved:
            outcome["none_saved"] += 1
        record = get_record("cities", cid)
        if saved and record["notes"] != f"{saved[0]}-{n}":
            outcome["lost_updates"] += 1
        version = record["version"]
    outcome["final_version"] = version
    return outcome


def test_real_race_two_savers_one_wins(engine, admin, db_url):
    rounds = 30
    outcome = _race(db_url, admin, rounds)
    _figure(f"race_{engine.dialect.name}", **outcome)
    assert outcome == {"rounds": rounds, "both_saved": 0, "none_saved": 0, "lost_updates": 0, "errors": 0,
                       "final_version": rounds + 1}


# ---------------------------------------------------------------- kill -9


BULK_WRITER = """
import sys, time
from crm.store import writes
from crm.accounts.users import ensure_local_user
from crm.store.writes import in_one_transaction
actor = ensure_local_user()
def work(session):
    for i in range(int(sys.argv[1])):
        writes.create(actor, "cities", {"name_en": f"Bulk {i}", "country_code": "CZ"}, session=session)
        if i == 5:
            print("writing", flush=True)
        time.sleep(0.002)
in_one_transaction(work)
print("done", flush=True)
"""


def _integrity_ok(url: str) -> bool:
    if not url.startswith("sqlite"):
        return True
    conn = sqlite3.connect(url.split("///", 1)[1])
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _kill_during(cmd: list[str], env: dict, wait_for: str, delay: float) -> str:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if wait_for else ""
        assert wait_for in line, line
        time.sleep(delay)
        finished = proc.poll() is not None
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    return "finished" if finished else "killed"


@pytest.mark.slow
def test_kill_9_during_a_bulk_write_leaves_it_all_or_nothing(db_url, admin):
    engine = get_engine(db_url)
    before_cities, before_audit = _count(engine, m.City), _count(engine, m.AuditEntry)
    n = 400
    env = {**os.environ, "DATABASE_URL": db_url}
    trials = []
    for delay in (0.05, 0.3, 0.6):
        state = _kill_during([sys.executable, "-c", BULK_WRITER, str(n)], env, "writing", delay)
        cities, audits = _count(engine, m.City) - before_cities, _count(engine, m.AuditEntry) - before_audit
        trials.append({"delay": delay, "process": state, "cities": cities, "audit": audits,
                       "integrity": _integrity_ok(db_url)})
        assert cities in (0, n) and audits == cities, trials
        assert _integrity_ok(db_url)
        before_cities += cities
        before_audit += audits
    killed = sum(t["process"] == "killed" for t in trials)
    _figure(f"kill9_bulk_{engine.dialect.name}", trials=trials, killed_mid_write=killed,
            partial_writes=sum(t["cities"] not in (0, n) for t in trials))
    assert killed >= 2
    # the database still takes writes afterwards
    assert writes.create(admin, "cities", {"name_en": "After", "country_code": "CZ"}) > 0


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_it_complete_or_absent(sqlite_url, admin, tmp_path):
    import csv

    rows = 20_000  # big enough that the import is still writing when it is killed, even on an idle machine
    path = tmp_path / "cities.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["name_en", "country_code", "notes"])
        for i in range(rows):
            out.writerow([f"Importville {i}", "CZ", "x" * 50])
    engine = get_engine(sqlite_url)
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    wal = Path(sqlite_url.split("///", 1)[1] + "-wal")
    trials = []
    for delay in (0.0, 0.5):
        before = _count(engine, m.City)
        proc = subprocess.Popen([sys.executable, "-m", "crm", "import", "cities", str(path)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        while time.monotonic() - start < 60 and (not wal.exists() or wal.stat().st_size < 200_000):
            time.sleep(0.05)  # wait until the import is writing its transaction
        time.sleep(delay)
        state = "finished" if proc.poll() is not None else "killed"
        if state == "killed":
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        added = _count(engine, m.City) - before
        batches = _count(engine, m.ImportBatch)
        trials.append({"delay": delay, "process": state, "cities_added": added, "batches": batches,
                       "integrity": _integrity_ok(sqlite_url)})
        assert added in (0, rows), trials
        assert _integrity_ok(sqlite_url)
    _figure("kill9_import_sqlite", trials=trials, partial_writes=sum(t["cities_added"] not in (0, rows) for t in trials))
    assert any(t["process"] == "killed" for t in trials)


# ---------------------------------------------------------------- hostile input (hypothesis)

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=300),
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "\u202eevil\u202c", "مرحبا بالعالم", "שלום", "🏙️🇹🇼👩🏽‍💼", "臺北市\u3000",
        "Robert'); DROP TABLE city;--", "' OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\")", "@SUM(1)", "{{7*7}}", "${jndi:ldap://x}", "%s%s%n", "\r\n\t", "NaN", "-0",
        "9" * 400, "x" * 25_000, "2020-02-30", "0000-00-00", "9999-12-31", "1900-01-01", "-1", "1e309", "null",
    ]),
)
ABSURD = st.one_of(
    HOSTILE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _fields(kind_name: str) -> list[str]:
    model = KINDS[kind_name].model
    return [k for k in model.model_fields if k not in HIDDEN_FIELDS]


def _typed_value(annotation):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    is_union = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
    base = args[0] if is_union else annotation
    if base is int:
        return st.one_of(st.integers(min_value=-(2**63), max_value=2**63), ABSURD)
    if base is date:
        return st.one_of(st.dates(min_value=date(1, 1, 1)), ABSURD)
    return ABSURD


def _plausible_value(annotation):
    """Right type, hostile content: strings full of RTL, emoji, markup, SQL; dates and numbers at the edges."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    base = args[0]
    if base is bool:
        return st.booleans()
    if base is int:
        return st.integers(min_value=0, max_value=1_000_000)
    if base is float:
        return st.floats(min_value=-90, max_value=90)
    if base is datetime:
        return st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30))
    if base is date:
        return st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    return HOSTILE.filter(lambda s: len(s) <= 500)


@st.composite
def payloads(draw, kind_name: str) -> dict:
    model = KINDS[kind_name].model
    fields = _fields(kind_name)
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=min(8, len(fields)), unique=True))
    typed = _plausible_value if draw(st.booleans()) else _typed_value
    data = {name: draw(typed(model.model_fields[name].annotation)) for name in chosen}
    for name in [n for n in data if n.endswith("_id") and typed is _plausible_value]:
        data[name] = draw(st.sampled_from([1, 2, 3, None]))
    if typed is _plausible_value:
        for name in KINDS[kind_name].required:
            data.setdefault(name, 1 if name.endswith("_id") else "CZ")
    for name in [n for n in data if n in ("status", "kind", "mode", "timezone") and typed is _plausible_value]:
        data[name] = draw(st.sampled_from([*KINDS[kind_name].statuses, "sister", "video", "Asia/Taipei", "bogus"]))
    if draw(st.booleans()):  # often give a plausible name so a clean save is possible
        for name in ("name_en", "title_en"):
            if name in fields:
                data[name] = draw(HOSTILE.filter(lambda s: bool(s.strip())))
        if "country_code" in fields:
            data["country_code"] = draw(st.sampled_from(["CZ", "TW", "zz", "", "C\x00", "🇹🇼"]))
    for spec in KINDS[kind_name].children:
        if draw(st.integers(0, 4)) == 0:
            data[spec.key] = draw(st.one_of(st.lists(st.dictionaries(st.text(max_size=12), ABSURD, max_size=4),
                                                     max_size=3), ABSURD))
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.text(max_size=10))] = draw(ABSURD)  # an unknown field
    return data


class Tally:
    def __init__(self) -> None:
        self.tried = self.saved = self.refused = self.crashes = self.partial = self.unclean = 0
        self.crash_examples: list[str] = []

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "crash_examples"} | {"crash_examples": self.crash_examples[:5]}


def _counts(engine, kind_name: str) -> tuple[int, int, int]:
    kind = KINDS[kind_name]
    children = sum(_count(engine, spec.model) for spec in kind.children)
    return _count(engine, kind.model), _count(engine, m.AuditEntry), children


def _try(tally: Tally, engine, kind_name: str, action) -> None:
    tally.tried += 1
    before = _counts(engine, kind_name)
    try:
        result = action()
    except LiaisonError as exc:
        tally.refused += 1
        assert exc.message("zh-TW") and exc.message("en")
        if _counts(engine, kind_name) != before:
            tally.partial += 1
        return
    except Exception as exc:  # noqa: BLE001 - every other exception is a crash figure
        tally.crashes += 1
        tally.crash_examples.append(f"{kind_name}: {type(exc).__name__}: {str(exc)[:200]}")
        if _counts(engine, kind_name) != before:
            tally.partial += 1
        return
    tally.saved += 1
    assert result
    after = _counts(engine, kind_name)
    if after[1] != before[1] + 1:
        tally.partial += 1


FUZZ_EXAMPLES = int(os.environ.get("LIAISON_FUZZ_EXAMPLES", "40"))


def _fuzz(engine, admin, kind_name: str, examples: int) -> Tally:
    tally = Tally()
    base_id: dict = {}

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=payloads(kind_name), update=st.booleans())
    def run(data: dict, update: bool) -> None:
        if update and base_id.get("id"):
            record = get_record(kind_name, base_id["id"])
            _try(tally, engine, kind_name,
                 lambda: writes.update(admin, kind_name, base_id["id"], data, record["version"]))
        else:
            holder: dict = {}

            def create():
                holder["id"] = writes.create(admin, kind_name, data)
                return holder["id"]

            _try(tally, engine, kind_name, create)
            if holder.get("id"):
                base_id.setdefault("id", holder["id"])
                saved = get_record(kind_name, holder["id"])
                if any(isinstance(v, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in saved.values()):
                    tally.unclean += 1

    run()
    return tally


@pytest.mark.slow
@pytest.mark.parametrize("kind_name", list(KINDS))
def test_hostile_input_to_every_kind_is_refused_or_saved_cleanly(engine, admin, kind_name):
    # a few records to point at
    writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    writes.create(admin, "organisations", {"name_en": "City Hall"})
    writes.create(admin, "people", {"name_en": "Jan Novak"})
    examples = FUZZ_EXAMPLES if engine.dialect.name == "sqlite" else max(10, FUZZ_EXAMPLES // 2)
    tally = _fuzz(engine, admin, kind_name, examples)
    _figure(f"fuzz_{engine.dialect.name}_{kind_name}", **tally.as_dict())
    assert (tally.crashes, tally.partial, tally.unclean) == (0, 0, 0), tally.as_dict()
    assert tally.tried >= examples


# ---------------------------------------------------------------- no user text as HTML


REVIEWED_HTML: dict[str, str] = {
    # "path": "why this use is safe (no user text reaches it)",
    "crm/ui/form_drafts.py": "the leave guard: a fixed script (a beforeunload listener) and one fixed attribute; "
                             "no user text, nothing fetched",
    "crm/ui/keyboard.py": "two fixed scripts (the search shortcut, a form's first field focused): the only inserted "
                          "values are a widget key and a form opening's id, cut to letters, digits, - and _; "
                          "no user text, nothing fetched",
    "crm/ui/session.py": "a meta refresh to the app's own /session routes: the URL is built from a random ticket and "
                         "a path, and escaped with html.escape (tests/accounts/test_sessions.py checks `next`)",
    "crm/ui/files_view.py": "CSS over the uploader's own texts: catalog strings and a number of MB, no user text",
    "pages/calendar.py": "the month/week grid and legend of crm.calendar.grid: every name and link html.escape'd "
                         "(tests/calendar/test_sources.py checks the escaping)",
    "pages/dashboard.py": "st.html of crm.ui.cards.cards_html: catalog labels and numbers only, every text escaped "
                          "(tests/views/test_dashboard.py::test_figure_cards_escape_their_text_and_show_the_change)",
}


def test_no_page_renders_user_text_as_html():
    found = {}
    for path in [ROOT / "streamlit_app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "crm" / "ui").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"unsafe_allow_html\s*=\s*True", r"\bst\.html\(", r"components\.v1\.html\(", r"\.html\("):
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.setdefault(str(path.relative_to(ROOT)), []).append(line)
    unreviewed = {p: lines for p, lines in found.items() if p not in REVIEWED_HTML}
    assert not unreviewed, f"HTML rendering to review (add to REVIEWED_HTML with the reason): {unreviewed}"


# ---------------------------------------------------------------- two app servers, one PostgreSQL


@pytest.mark.browser
@pytest.mark.slow
def test_two_app_servers_on_one_postgresql_see_each_others_changes(request, tmp_path, browser_page):
    from tests.conftest import _fresh_url
    from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app

    url, drop = _fresh_url(request, "postgresql", tmp_path)
    env = {"DATABASE_URL": url, "LIAISON_USER": "admin"}
    page = browser_page
    try:
        with start_app(tmp_path / "a.db", env=env) as server_a, start_app(tmp_path / "b.db", env=env) as server_b:
            # B's audit page is open (and its caches warm) before anything is written
            page_b = page.context.new_page()
            page_b.goto(server_b + "/audit?lang=en")
            wait_for_app(page_b)
            assert "1 entries" in page_b.inner_text('[data-testid="stMain"]')  # the admin account only
            # a change saved through server A's settings form...
            page.goto(server_a + "/settings?lang=en")
            wait_for_app(page)
            page.get_by_label("Office name (English)", exact=True).fill("Secretariat, written via A")
            page.get_by_role("button", name="Save the settings").click()
            wait_for_app(page)
            assert "settings saved" in page.inner_text('[data-testid="stMain"]')
            # ...and a record written by a third process (an import, another office machine)
            import os

            os.environ["DATABASE_URL"] = url
            try:
                from crm.accounts.users import ensure_local_user

                cid = writes.create(ensure_local_user(), "cities",
                                    {"name_en": "Written Elsewhere", "country_code": "CZ"})
            finally:
                os.environ.pop("DATABASE_URL", None)
            # B shows both on its next rerun (language switch), without a reload
            page_b.get_by_label("Language").click()
            page_b.get_by_role("option", name="繁體中文").click()
            wait_for_app(page_b)
            shown = page_b.inner_text('[data-testid="stMain"]')
            assert "共 3 筆" in shown, shown  # + the setting saved via A + the city written elsewhere
            screenshot(page_b, "two-servers-b-audit")
            page_b.goto(server_b + "/settings?lang=en")
            wait_for_app(page_b)
            assert page_b.get_by_label("Office name (English)", exact=True).input_value() == "Secretariat, written via A"
            assert cid > 0
            assert_only_local(page.requests)
    finally:
        drop()


# ---------------------------------------------------------------- hostile input to this area's forms

FORM_TEXT = HOSTILE.filter(lambda s: len(s) <= 2000)


def test_hostile_input_to_the_log_in_users_and_settings_forms(sqlite_url, monkeypatch):
    from crm.accounts import settings as app_settings
    from crm.accounts.users import ensure_local_user, list_users
    from tests.support.apptest import AUTH_KEY, errors, open_page, rerun_through_main

    rerun_through_main(monkeypatch)
    admin = ensure_local_user()
    engine = get_engine(sqlite_url)
    tally = {"tried": 0, "crashes": 0, "partial": 0, "signed_in": 0}

    @settings(max_examples=int(os.environ.get("LIAISON_FORM_EXAMPLES", "12")), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(name=FORM_TEXT, password=FORM_TEXT, display=FORM_TEXT)
    def run(name: str, password: str, display: str) -> None:
        # the users page's add form
        users_before, audit_before = len(list_users(admin)), _count(engine, m.AuditEntry)
        at = open_page("users", "en")
        form = [w for w in at.text_input if w.form_id == "add_user"]
        form[0].set_value(name[:64])
        form[1].set_value(display[:200])
        form[2].set_value(password[:1024])
        next(b for b in at.button if b.form_id == "add_user").click().run()
        tally["tried"] += 1
        tally["crashes"] += len(errors(at))
        added = len(list_users(admin)) - users_before
        if _count(engine, m.AuditEntry) - audit_before != added:
            tally["partial"] += 1
        # the settings form
        at = open_page("settings", "en")
        at.text_input[0].set_value(display[:200])
        at.button[0].click().run()
        tally["tried"] += 1
        tally["crashes"] += len(errors(at))
        stored = app_settings.get(app_settings.ORGANISATION_EN)
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e]", stored):
            tally["partial"] += 1
        # the log-in form: a wrong password for whatever name, so it must refuse
        monkeypatch.delenv("LIAISON_USER", raising=False)
        at = open_page(None, "en", anonymous=True)
        login = [w for w in at.text_input if w.form_id == "login"]
        if len(login) == 2:
            login[0].set_value(name[:200])
            login[1].set_value(password[:1000][::-1] + "!")  # never the password the account got
            next(b for b in at.button if b.form_id == "login").click().run()
            tally["tried"] += 1
            tally["crashes"] += len(errors(at))
            tally["signed_in"] += AUTH_KEY in at.session_state

    from crm.accounts.users import set_password

    set_password(admin, admin.id, "granite tea kettle 58")  # so the log-in form (not first run) shows
    run()
    _figure("fuzz_forms", **tally)
    assert (tally["crashes"], tally["partial"], tally["signed_in"]) == (0, 0, 0), tally


HOSTILE_NAMES = {
    "name_en": "![pixel](http://203.0.113.9/pixel.png) [click](javascript:alert(1))",
    "name_zh": "<img src=http://203.0.113.9/x.png onerror=alert(1)><script>alert(2)</script>",
    "name_native": "**bold** $x^2$ :material/warning: <b>b</b>",
}


@pytest.mark.browser
def test_user_text_is_shown_as_text_not_run_as_html_or_markdown(demo_template, tmp_path, browser_page):
    import shutil

    from tests.support.browser import app_scripts, assert_only_local, screenshot, start_app, wait_for_app

    path = tmp_path / "liaison.db"
    shutil.copy(demo_template, path)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        from crm.accounts.users import ensure_local_user

        cid = writes.create(ensure_local_user(), "cities", {**HOSTILE_NAMES, "country_code": "CZ",
                                                              "notes": HOSTILE_NAMES["name_zh"]})
    finally:
        os.environ.pop("DATABASE_URL", None)
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with start_app(path) as base:
        for lang in ("en", "zh-TW"):
            for url in (f"/cities?id={cid}&lang={lang}", f"/cities?q=pixel&lang={lang}", f"/audit?lang={lang}"):
                page.goto(base + url)
                wait_for_app(page)
                main = page.locator('[data-testid="stMain"]')
                assert main.locator("img[src*='203.0.113.9']").count() == 0, url
                scripts = [text for text in main.locator("script").all_text_contents()
                           if text.strip() not in app_scripts()]
                # the app's own fixed scripts only (the drafts' leave guard, crm.ui.keyboard's)
                assert scripts == [], url
                assert main.locator("a[href^='javascript']").count() == 0, url
        screenshot(page, "hostile-names")
    assert dialogs == []
    assert_only_local(page.requests)
