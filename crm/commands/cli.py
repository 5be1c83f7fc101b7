"""`python -m crm`: the administrator's command line.

Each command lives in `crm/commands/<name>.py` with `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Errors become one clear line on stderr and exit code 2, never a traceback.
"""

import argparse
import importlib
import logging
import sys

from crm.errors import LiaisonError
from crm.store.engine import DatabaseUnavailable

COMMANDS = {
    "init": "create or migrate the database",
    "demo": "load the demo data set (2020 H1 report, Taipei's partner cities)",
    "import": "import records from a CSV or Excel file",
    "export": "export records as CSV, Excel, Word, PDF or calendar",
    "report": "write the half-year report",
    "backup": "back up the database to a file",
    "restore": "restore the database from a backup file",
    "users": "manage user accounts",
    "bench": "measure page, export and import speed",
    "remind": "mail the daily reminder digests",
}
MODULE_NAMES = {"import": "import_"}


class CliError(Exception):
    """A problem to report as one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit 2, as argparse does, without the usage block
        self.exit(2, f"{self.prog}: error: {message}\n")


def _load(name: str):
    try:
        return importlib.import_module(f"crm.commands.{MODULE_NAMES.get(name, name)}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("crm.commands"):
            return None
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m crm", description="Liaison: international relations CRM. "
                     "Honours DATABASE_URL (default: SQLite in data/).")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        module = _load(name)
        command = sub.add_parser(name, help=getattr(module, "HELP", help_text) if module else
                                 f"{help_text} (coming in a later version)")
        if module is not None:
            module.add_arguments(command)
        command.set_defaults(_module=module, _name=name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not args.command:
        parser.print_help()
        return 2
    if args._module is None:
        print(f"python -m crm {args._name}: not available yet in this version", file=sys.stderr)
        return 2
    try:
        return int(args._module.run(args) or 0)
    except DatabaseUnavailable as exc:
        print(f"error: cannot reach the database: {exc}", file=sys.stderr)
    except LiaisonError as exc:
        print(f"error: {exc.message('en')}", file=sys.stderr)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    except Exception as exc:  # an administrator gets one line, not a traceback
        logging.getLogger("liaison").debug("unexpected error", exc_info=True)
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
    return 2
