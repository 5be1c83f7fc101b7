"""House rules: pages hold no SQL and no domain logic; crm/ never imports streamlit (but crm/ui)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_WORDS = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I | re.S)
FORBIDDEN_IN_PAGES = ("sqlalchemy", "sqlmodel", "psycopg", "sqlite3", "crm.store.engine", "crm.models")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pages_contain_no_sql_and_no_data_access():
    pages = list((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not SQL_WORDS.search(text), f"SQL in {page.name}"
        bad = {name for name in _imports(page) if name.startswith(FORBIDDEN_IN_PAGES)}
        assert not bad, f"{page.name} imports {bad}"


def test_crm_does_not_import_streamlit_outside_ui():
    for path in (ROOT / "crm").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "crm").parts[:1]:
            continue
        assert not {n for n in _imports(path) if n.split(".")[0] == "streamlit"}, f"{path} imports streamlit"



def test_no_module_imports_a_private_name_from_another():
    for path in [*(ROOT / "crm").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "streamlit_app.py"]:
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crm"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.relative_to(ROOT)} imports {private} from {node.module}"


def test_tests_follow_the_packages_of_crm():
    """tests/<package>/test_<module>.py for crm's packages; journeys in tests/browser/, helpers in tests/support/,
    the deployment in deploy/ (nginx, systemd) run for real in tests/deploy/."""
    packages = {p.name for p in (ROOT / "crm").iterdir() if (p / "__init__.py").exists()} - {"migrations"}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - packages == {"browser", "support", "deploy"}, folders - packages
    assert not list((ROOT / "tests" / "support").glob("test_*.py"))
    assert all(p.name.startswith("test_browser_") for p in (ROOT / "tests" / "browser").glob("test_*.py"))
    at_root = {p.stem for p in (ROOT / "tests").glob("test_*.py")}
    assert at_root == {"test_architecture", "test_i18n", "test_partial_dates"}, at_root  # the root modules and rules


STREAMLIT_INTERNALS = ROOT / "crm" / "ui" / "streamlit_internals.py"
PUBLIC_STREAMLIT_MODULES = {"streamlit", "streamlit.components.v1", "streamlit.column_config"}
PRIVATE_STREAMLIT_PARTS = {"runtime", "testing", "web", "config"}  # st.runtime, `from streamlit import config`, ...
ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _streamlit_internals_touched(source: str, name: str, private_attributes: bool) -> list[str]:
    """Where the module `name` reaches into Streamlit beyond its public API: imports of streamlit.runtime,
    streamlit.testing, streamlit.web (any submodule but the public ones), `st.runtime`-like attributes
    and, if `private_attributes`, any `x._name` (but self/cls) or getattr(x, "_name")."""
    tree = ast.parse(source)
    aliases = {"streamlit"} | {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                               for a in node.names if a.name == "streamlit"}
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names
                      if a.name.startswith("streamlit.") and a.name not in PUBLIC_STREAMLIT_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("streamlit.") and node.module not in PUBLIC_STREAMLIT_MODULES:
                found.append(f"{where} imports from {node.module}")
            elif node.module == "streamlit":
                found += [f"{where} imports {a.name} from streamlit" for a in node.names
                          if a.name in PRIVATE_STREAMLIT_PARTS or _private(a.name)]
        elif isinstance(node, ast.Attribute):
            attr, base = node.attr, ast.unparse(node.value)
            if base in aliases and (attr in PRIVATE_STREAMLIT_PARTS or _private(attr)):
                found.append(f"{where} uses {base}.{attr}")
            elif private_attributes and _private(attr) and base not in ("self", "cls"):
                found.append(f"{where} touches the private attribute {base}.{attr}")
        elif (private_attributes and isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ATTRIBUTE_CALLS and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str) and _private(node.args[1].value)):
            found.append(f"{where} {node.func.id}s the private attribute {node.args[1].value!r}")
    return found


def test_only_streamlit_internals_touches_streamlit_internals():
    """Streamlit's private parts live in crm/ui/streamlit_internals.py (one test per workaround in
    tests/ui/test_streamlit_internals.py); everything else uses the public `st` API or that module."""
    assert STREAMLIT_INTERNALS.exists()
    near_streamlit = {*(ROOT / "crm" / "ui").rglob("*.py"), *(ROOT / "crm" / "bench").rglob("*.py"),
                      *(ROOT / "pages").glob("*.py"), ROOT / "streamlit_app.py"}
    found = []
    for path in sorted({*(ROOT / "crm").rglob("*.py"), *near_streamlit}):
        if path == STREAMLIT_INTERNALS or "migrations" in path.parts:
            continue
        uses_streamlit = any(n.split(".")[0] == "streamlit" for n in _imports(path))
        found += _streamlit_internals_touched(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)),
                                              private_attributes=path in near_streamlit or uses_streamlit)
    assert not found, "Streamlit internals outside crm/ui/streamlit_internals.py:\n" + "\n".join(found)


def test_the_internals_check_sees_what_it_forbids():
    sample = ("import streamlit as st\nimport streamlit.web.bootstrap\nfrom streamlit.runtime import get_instance\n"
              "from streamlit import config\nfrom streamlit.components.v1 import html\nst.runtime.exists()\n"
              "page = st.Page('p.py')\npage._script_hash\nsetattr(page, '_page', None)\nself._x\nst.__version__\n")
    found = _streamlit_internals_touched(sample, "sample", private_attributes=True)
    assert sorted(found) == sorted([
        "sample:2 imports streamlit.web.bootstrap", "sample:3 imports from streamlit.runtime",
        "sample:4 imports config from streamlit", "sample:6 uses st.runtime",
        "sample:8 touches the private attribute page._script_hash", "sample:9 setattrs the private attribute '_page'"])
    without = _streamlit_internals_touched(sample, "sample", private_attributes=False)
    assert sorted(without) == sorted(f for f in found if "private attribute" not in f)


# User text in Streamlit Markdown goes through crm.ui.shell.plain (tests/support/markdown_calls.py says how it is
# proven). These texts are catalog-only by construction, which the check cannot follow: (file, text) → why.
CATALOG_ONLY = {
    ("crm/ui/bench_worker.py", "json.dumps(result) + '\\n'"): "the benchmark worker's JSON line of timings",
    ("crm/ui/child_rows.py", "message"): "set only from tr('rows.*') with field labels",
    ("crm/ui/detail.py", "f\"{tr(f'kind.{kind}')}{status} · #{record_id}\""): "status is tr('status.*'); the id a number",
    ("crm/ui/detail.py", "flash"): "set only by _do(..., tr(...))",
    ("crm/ui/detail.py", "names"): "the tab names, each tr('rec.tab.*') or tr('ui.edit')",
    ("crm/ui/fields.py", "label"): "a field's label, tr(f.label_key) or a caller's tr()",
    ("crm/ui/form_drafts.py", "flash"): "set only from tr('draft.*')",
    ("crm/ui/import_view.py", "tr('import.encoding_detected', encoding=named)"): "an encoding's name, the app's own",
    ("crm/ui/import_view.py", "info + (' · ' + tr('import.encoding', encoding=named) if sheet.encoding else '')"):
        "counts and an encoding's name, the app's own",
    ("crm/ui/shell.py", "busy.message(lang())"): "DatabaseBusy: a catalog text with a number of seconds at most",
    ("crm/ui/password.py", "tr('auth.weak_current', reason=tr(reason[0], **reason[1]))"):
        "a password rule of crm.accounts.passwords, with numbers only",
    ("crm/ui/pickers.py", "label"): "a field's label from the caller's tr()",
    ("crm/ui/pickers.py", "tr('rec.use_existing', name=plain(label), why=why)"):
        "why: a match reason t(...) with a field label and a score",
    ("crm/ui/report_drafts.py", "problems['ok']"): "tr('report.draft_saved', name=plain(...))",
    ("crm/ui/session.py", "f'<meta http-equiv=\"refresh\" content=\"0; url={html.escape(url, quote=True)}\">'"):
        "the app's own /session route, HTML-escaped",
    ("crm/ui/session.py", "continue_label"): "tr('auth.continue')",
    ("crm/ui/views.py", "label"): "every caller passes tr(...)",
    ("pages/briefings.py", "LANG_NAMES.get"): "the two languages' own names",
    ("pages/merge.py", "st.session_state.pop('merge_message')"): "tr('merge.done', n=...)",
    ("crm/ui/bulk_actions.py", "tr('rec.export_as', fmt=fmt.upper())"): "fmt: one of the app's export formats",
    ("crm/ui/records.py", "tr('rec.export_as', fmt=fmt.upper())"): "fmt: one of the app's export formats",
    ("crm/ui/files_view.py", "tr('files.upload_help', max=file_max_bytes() // (1024 * 1024))"): "a number of MB",
    ("crm/ui/files_view.py", "flash"): "set only from tr('files.*') with plain(name) or a count",
    ("crm/ui/files_view.py", "message"): "set only from plain(exc.message(...))",
    ("crm/ui/import_view.py", "tr('import.size_limit', limit=megabytes)"): "a number of MB",
    ("crm/ui/list_view.py", "tr('list.range', first=f'{first:,}', last=f'{last:,}', total=f'{result.total:,}')"):
        "three numbers",
    ("crm/ui/tags_view.py", "tag_badges(tags)"): "badges whose labels are plain(...)",
    ("crm/ui/forms.py", "'\\n'.join([tr('form.errors_title'), '', *items])"):
        "items: plain(message) each, linked to its field's anchor",
    ("crm/ui/forms.py", "required_legend(spec, lang())"): "catalog text with the form's field labels",
    ("crm/ui/record_labels.py", "' · '.join(parts)"): "tag_badges (labels plain) and tr('labels.owner_is', name=plain(...))",
    ("pages/settings.py", "tr('settings.import_max_mb_help', max=config.UPLOAD_LIMIT_MB)"): "a number of MB",
}


def test_user_text_reaches_streamlit_markdown_only_through_plain():
    from tests.support.markdown_calls import unproven

    found = []
    for path in sorted([*(ROOT / "crm" / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "streamlit_app.py"]):
        name = str(path.relative_to(ROOT))
        found += [f for f in unproven(path.read_text(encoding="utf-8"), name)
                  if (name, f.split(": ", 1)[1]) not in CATALOG_ONLY]
    assert not found, "Markdown text that may hold user text — wrap it in plain():\n" + "\n".join(found)
    used = {(f.split(":")[0], f.split(": ", 1)[1]) for path in [*(ROOT / "crm" / "ui").glob("*.py"),
                                                              *(ROOT / "pages").glob("*.py")]
            for f in unproven(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))}
    assert set(CATALOG_ONLY) <= used, f"allow-list entries no longer needed: {set(CATALOG_ONLY) - used}"


def test_the_markdown_check_sees_what_it_forbids():
    from tests.support.markdown_calls import unproven

    sample = '''
import streamlit as st
from crm.ui.shell import plain, tr

def card(record, name, kind):
    title = record["name_en"]
    st.title(title)
    st.subheader(plain(title))
    st.caption(tr("rec.count", n=len(record), who=record["user"]))
    st.caption(tr("rec.count", n=3, who=plain(record["user"])))
    label = tr(f"kind.{kind}") if kind else tr("ui.none")
    st.markdown(f"**{label}** · {name}")
    st.expander(f"{tr('x')} {plain(name)}")
    tabs = st.tabs([tr("a"), record["title"]])
    st.button("Save", help=record["notes"])
    st.page_link("pages/cities.py", label=name)
    st.radio(tr("pick"), ["a", "b"], format_func={"a": name, "b": "B"}.get)
    names = {k: plain(v) for k, v in record.items()}
    st.radio(tr("pick"), list(names), format_func=names.__getitem__)
    for word in ("a", "b"):
        st.info(word)
    for item in record:
        st.info(item)
    log.error(record)

def called(text):
    st.warning(text)

called(tr("ok"))
called(tr("also ok", n=2))
'''
    found = unproven(sample, "s")
    assert sorted(f.split(" ", 1)[1] for f in found) == sorted([
        "title: title", "caption: tr('rec.count', n=len(record), who=record['user'])",
        "markdown: f'**{label}** · {name}'", "tabs: record['title']", "button: record['notes']",
        "page_link: name", "radio: {'a': name, 'b': 'B'}.get", "info: item"])
