"""A record's life through the screens (AppTest): create, edit, status change, delete, restore.

Each `tests/records/kinds/test_<kind>.py` calls `walk(...)` with the fields that kind's form needs; the walk
checks what the list (search by name) and the city dossier show after each step.
"""

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.support.apptest import as_read, errors, open_page

WIDGETS = ("text_input", "text_area", "date_input", "time_input", "number_input", "selectbox", "checkbox")


def widget(at: AppTest, key: str):
    """The widget with `key`, whatever its type."""
    for name in WIDGETS:
        try:
            return getattr(at, name)(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def fill(at: AppTest, prefix: str, values: dict) -> None:
    for name, value in values.items():
        widget(at, f"{prefix}-{name}").set_value(value)


def shown(at: AppTest) -> list[str]:
    """Every error, warning and exception text on screen (a walk expects none)."""
    return errors(at) + [e.value for e in at.error]


def unescape(text: str) -> str:
    """Text as the user reads it (crm.ui.shell.plain undone)."""
    return as_read(text)


def messages(at: AppTest) -> list[str]:
    """Error messages on screen as the user reads them (Markdown escapes removed)."""
    return [unescape(e.value) for e in at.error]


def record_id(at: AppTest) -> int:
    value = at.query_params["id"]
    return int(value[0] if isinstance(value, list) else value)


def links(at: AppTest) -> list[str]:
    """The labels of the record links on screen (Markdown escapes removed: names show as typed)."""
    return [unescape(link.proto.label) for link in at.get("page_link")]


def list_count(kind: str, q: str, lang: str = "en") -> str:
    at = open_page(kind, lang, query={"q": q})
    assert errors(at) == []
    return next(c.value for c in at.caption if "record" in c.value or "筆" in c.value)


def create_via_form(kind: str, values: dict, lang: str = "en", force: bool = False) -> AppTest:
    at = open_page(kind, lang, query={"new": "1"})
    prefix = f"f-{kind}-new-0"
    fill(at, prefix, values)
    at.button(key=f"{prefix}-save").click().run()
    if force:
        at.button(key=f"{prefix}-anyway").click().run()
    return at


def walk(kind: str, values: dict, *, search: str, edit: dict, city_id: int | None = None,
         status: tuple[str, dict] | None = None, lang: str = "en") -> int:
    """Create through the form, then edit, change status, delete and restore; returns the id."""
    at = create_via_form(kind, values, lang)
    assert shown(at) == [], shown(at)
    rid = record_id(at)
    assert at.success, "no confirmation after saving"
    assert list_count(kind, search) == "1 record"
    if city_id is not None:
        dossier = open_page("cities", lang, query={"id": str(city_id)})
        assert any(search.lower() in label.lower() for label in links(dossier)), links(dossier)

    # edit
    prefix = f"f-{kind}-{rid}-v1"
    fill(at, prefix, edit)
    at.button(key=f"{prefix}-save").click().run()
    assert shown(at) == [], shown(at)
    version = 2
    for value in edit.values():
        if isinstance(value, str):
            assert any(value in t.value for t in at.title) or any(value in t.value for t in at.text), value

    # status change
    if status is not None:
        new_status, extra = status
        key = f"st-{kind}-{rid}-v{version}"
        at.selectbox(key=f"{key}-to").set_value(new_status).run()  # the new-date field follows the status
        for name, value in extra.items():
            widget(at, f"{key}-{name}").set_value(value)
        at.button(key=f"{key}-go").click().run()
        assert shown(at) == [], shown(at)
        assert any(new_status in c.value for c in at.caption), [c.value for c in at.caption]
        version += 1
        history = [df.value for df in at.dataframe]
        assert any(new_status in frame.to_string() for frame in history)

    # delete (confirmed in the dialog), gone from the list and the dossier
    at.button(key="delete-open").click().run()
    at.button(key="delete-yes").click().run()
    assert at.warning, "a deleted record says so"
    assert list_count(kind, search) == "0 records"
    if city_id is not None:
        dossier = open_page("cities", lang, query={"id": str(city_id)})
        assert not any(search.lower() in label.lower() for label in links(dossier))

    # restore from the history
    undo = next(b for b in at.button if (b.key or "").startswith("undo-"))
    undo.click().run()
    assert shown(at) == [], shown(at)
    assert not at.warning
    assert list_count(kind, search) == "1 record"
    return rid


TODAY = date(2020, 3, 3)
