"""`python -m crm users`: list and add accounts."""

import getpass
import sys

from crm.commands.cli import CliError

HELP = "manage user accounts: users list | users add NAME --role admin|staff|leadership"


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list accounts")
    add = sub.add_parser("add", help="add an account (password prompted, or read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["admin", "staff", "leadership"])
    add.add_argument("--display-name", default="")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat password: "):
            raise CliError("the passwords do not match")
        return first
    return sys.stdin.readline().rstrip("\n")


def run(args) -> int:
    from crm.accounts.users import add_user, list_users
    from crm.commands import ready_engine
    from crm.store.writes import SYSTEM_ACTOR

    ready_engine()
    if args.action == "list":
        for user in list_users(SYSTEM_ACTOR):
            print(f"{user['username']}\t{user['role']}\t{'active' if user['active'] else 'disabled'}")
        return 0
    password = _read_password()
    add_user(SYSTEM_ACTOR, args.name, args.role, password, args.display_name)
    print(f"user {args.name} added ({args.role})")
    return 0
