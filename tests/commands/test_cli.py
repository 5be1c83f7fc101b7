"""`python -m crm`: help, init, demo; bad input and an unreachable database give one line and exit 2."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _crm(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crm", *args], check=False, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=stdin, timeout=120)


def test_help_lists_the_commands():
    result = _crm("--help")
    assert result.returncode == 0
    for command in ("init", "demo", "import", "export", "report", "backup", "users", "bench"):
        assert command in result.stdout


def test_init_and_demo_on_sqlite(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert "database ready" in _crm("init", env=env).stdout
    assert "records created" in _crm("demo", env=env).stdout
    assert "already loaded" in _crm("demo", env=env).stdout
    added = _crm("users", "add", "boss", "--role", "leadership", env=env, stdin="velvet monsoon harbor 33\n")
    assert added.returncode == 0, added.stderr
    assert "boss\tleadership" in _crm("users", "list", env=env).stdout


def test_init_with_an_empty_local_user_counts_it_as_unset(tmp_path):
    result = _crm("init", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LIAISON_USER": ""})
    assert result.returncode == 0, result.stderr
    assert "database ready" in result.stdout


def test_bad_argument_is_one_line_and_exit_2():
    result = _crm("demo", "--synthetic", "many")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line_and_exit_2():
    result = _crm("init", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: cannot reach the database")
    assert len(result.stderr.strip().splitlines()) == 1
