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
    """tests/<package>/test_<module>.py for crm's packages; journeys in tests/browser/, helpers in tests/support/."""
    packages = {p.name for p in (ROOT / "crm").iterdir() if (p / "__init__.py").exists()} - {"migrations"}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - packages == {"browser", "support"}, folders - packages
    assert not list((ROOT / "tests" / "support").glob("test_*.py"))
    assert all(p.name.startswith("test_browser_") for p in (ROOT / "tests" / "browser").glob("test_*.py"))
    at_root = {p.stem for p in (ROOT / "tests").glob("test_*.py")}
    assert at_root == {"test_architecture", "test_i18n", "test_partial_dates"}, at_root  # the root modules and rules
