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

