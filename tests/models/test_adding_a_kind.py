"""docs/adding-a-record-kind.md, proven: a throw-away kind made of its four parts (a table, a registry entry,
a form spec, a page) plus its catalog strings works through the write path, the search, the list exports, its
Word list, an import of a spreadsheet and its own page in a test app — no other file knows it.

The kind lives only for this module: its table is removed from the metadata afterwards, so the check that
the models match the migrations (tests/store/test_db.py) never sees it.
"""

import csv
import importlib
import io
import pkgutil
import sys
import types
from datetime import date

import pytest
from sqlmodel import Field, SQLModel
from streamlit.testing.v1 import AppTest

import crm
from crm.models.kinds import EVENT_STATUSES, KINDS, Kind
from tests.support.apptest import AUTH_KEY, sign_in_state
from tests.support.records_walk import fill

KIND = "courtesies"
CATALOG = {
    f"kind.{KIND}": {"en": "courtesy call", "zh-TW": "禮貌拜會"},
    f"page.{KIND}": {"en": "Courtesy calls", "zh-TW": "禮貌拜會"},
    "rec.f.host_office": {"en": "Host office", "zh-TW": "接待單位"},
}


@pytest.fixture(scope="module")
def courtesy_model():
    """Part 1, the table (a migration would create it; here the test creates it in its database)."""
    from crm.models.events import EventRecord

    class CourtesyCall(EventRecord, table=True):
        host_office: str = Field(default="")

    yield CourtesyCall
    SQLModel.metadata.remove(CourtesyCall.__table__)


@pytest.fixture
def new_kind(courtesy_model, sqlite_url, monkeypatch, tmp_path):
    """Parts 2–4 and the catalog strings registered for one test; returns the page's script."""
    from crm import i18n
    from crm.records.formspec import NOTES, F, FormSpec, Section, event_sections
    from crm.store.engine import get_engine

    for module in pkgutil.walk_packages(crm.__path__, "crm."):  # everything imported before the kind exists, so
        if not module.name.startswith(("crm.migrations", "crm.ui.server", "crm.__main__")):  # nothing keeps it after
            importlib.import_module(module.name)
    monkeypatch.setitem(KINDS, KIND, Kind(  # part 2, the registry entry
        name=KIND, model=courtesy_model, statuses=EVENT_STATUSES, date_field="start_on", end_field="end_on",
        is_event=True, required_any=("title_en", "title_zh"), scheduled=True))
    names, dates = event_sections()
    spec_module = types.ModuleType(f"crm.records.kinds.{KIND}")  # part 3, crm/records/kinds/courtesies.py
    spec_module.SPEC = FormSpec(kind=KIND, sections=(names, dates, Section("rec.section.letter", (
        F("host_office"),)), NOTES), list_columns=("start_on", "host_office", "status"),
        sort_fields=("start_on", "id"))
    monkeypatch.setitem(sys.modules, spec_module.__name__, spec_module)
    for key, texts in CATALOG.items():
        monkeypatch.setitem(i18n.catalog(), key, texts)
    courtesy_model.__table__.create(get_engine(sqlite_url))
    page = tmp_path / f"{KIND}.py"  # part 4, pages/courtesies.py
    page.write_text(f"from crm.ui.records import record_page\n\nrecord_page({KIND!r})\n", encoding="utf-8")
    return str(page)


def _open(page: str, admin, lang: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state[AUTH_KEY] = sign_in_state(admin.username)
    return at.run()


def test_a_new_kind_goes_through_the_write_path_search_and_exports(new_kind, admin):
    from crm.documents.exports import list_export
    from crm.errors import ValidationFailed
    from crm.records import queries
    from crm.store import writes

    rid = writes.create(admin, KIND, {"title_en": "Call of the Czech envoy", "title_zh": "捷克代表拜會",
                                      "start_on": date(2026, 3, 2), "host_office": "Secretariat"})
    with pytest.raises(ValidationFailed) as refused:
        writes.create(admin, KIND, {"host_office": "no title"})
    assert "title_en" in refused.value.errors
    writes.update(admin, KIND, rid, {"status": "held"}, expected_version=1)
    assert [e["action"] for e in queries.history(KIND, rid)] == ["update", "create"]
    listed = queries.list_records(KIND, q="czech envoy")
    assert listed.total == 1 and listed.rows[0]["status"] == "held"
    exported = list_export(KIND, "csv", "en").decode("utf-8-sig")
    assert "Call of the Czech envoy" in exported and "Secretariat" in exported
    assert exported.splitlines()[0].count("Host office") == 1  # its own field headed by its form label


def test_a_new_kind_has_its_word_list_and_is_imported_from_a_spreadsheet(new_kind, admin):
    """Its spec names no document columns (the list shows the first exported fields) and no import columns
    (they come from its form: the shared title, date and status columns, its own field by its label)."""
    import docx

    from crm.documents.list_documents import list_document
    from crm.imports import flow as importer
    from crm.imports.columns import auto_map, field_label, template_headers
    from crm.records import queries
    from crm.store import writes

    writes.create(admin, KIND, {"title_en": "Call of the Estonian envoy", "start_on": date(2026, 2, 9)})
    document = docx.Document(io.BytesIO(list_document(KIND, "docx", "en")))
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "Title (English)"
    assert "Call of the Estonian envoy" in [r.cells[0].text for r in table.rows]

    headers = template_headers(KIND)
    assert "接待單位 Host Office" in headers and None not in auto_map(KIND, headers).values()
    assert field_label("host_office", "zh-TW") == "接待單位"  # the import screen's name of a column: the form's
    out = io.StringIO()
    csv.writer(out).writerows([["日期", "標題", "Title", "接待單位", "狀態"],
                               ["民國115年3月2日", "捷克代表拜會", "Call of the Czech envoy", "秘書處", "已辦理"],
                               ["2026-04-01", "", "Call of the Latvian ambassador", "Deputy mayor's office", ""],
                               ["not a date", "", "Call of nobody", "", ""]])
    data = out.getvalue().encode("utf-8")
    preview = importer.plan(importer.read(data, "courtesies.csv", KIND), KIND, filename="courtesies.csv")
    assert preview.mapping == {"日期": "start_on", "標題": "title_zh", "Title": "title_en",
                               "接待單位": "host_office", "狀態": "status"}
    result = importer.commit(admin, preview)
    assert (result.counts["imported"], result.counts["rejected"]) == (2, 1)
    czech = queries.list_records(KIND, q="czech envoy").rows[0]
    assert (czech["title_zh"], czech["start_on"], czech["host_office"], czech["status"]) == (
        "捷克代表拜會", date(2026, 3, 2), "秘書處", "held")
    assert queries.list_records(KIND, q="latvian").rows[0]["host_office"] == "Deputy mayor's office"
    assert importer.undo(admin, result.batch_id) == 2


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_new_kind_has_its_list_form_and_record_on_its_page(new_kind, admin, lang):
    from sqlmodel import Session, select

    from crm.store.engine import get_engine

    model = KINDS[KIND].model
    at = _open(new_kind, admin, lang, new="1")
    assert not at.exception, [e.value for e in at.exception]
    prefix = f"f-{KIND}-new-0"
    fill(at, prefix, {"title_en": "Call of the Latvian ambassador", "start_on": date(2026, 4, 1),
                      "host_office": "Deputy mayor's office"})
    at.button(key=f"{prefix}-save").click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    with Session(get_engine()) as session:
        saved = session.exec(select(model)).one()
    assert (saved.title_en, saved.start_on, saved.host_office) == (
        "Call of the Latvian ambassador", date(2026, 4, 1), "Deputy mayor's office")

    listing = _open(new_kind, admin, lang)
    assert listing.title[0].value == CATALOG[f"page.{KIND}"][lang]
    frame = listing.dataframe[0].value
    assert "Call of the Latvian ambassador" in set(frame["_name"])  # the name as text: a click on it opens the record
    assert "Deputy mayor's office" in frame.to_csv()
    record = _open(new_kind, admin, lang, id=str(saved.id))
    assert not record.exception and any("Latvian ambassador" in t.value for t in record.title)
