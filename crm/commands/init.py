"""`python -m crm init`: create or migrate the database; while no account can sign in, print a setup code."""

from crm.store.engine import current_revision, get_engine

HELP = "create or migrate the database (DATABASE_URL, default SQLite in data/)"


def add_arguments(parser) -> None:
    parser.add_argument("--admin", metavar="NAME", help="also create this admin account (no password: local use)")


def run(args) -> int:
    from crm.commands import ready_engine

    engine = ready_engine()
    from crm.accounts.users import ensure_local_user

    ensure_local_user()
    if args.admin:
        from crm.accounts.users import add_user, get_user
        from crm.store.writes import SYSTEM_ACTOR

        if get_user(args.admin) is None:
            add_user(SYSTEM_ACTOR, args.admin, "admin")
    url = get_engine().url.render_as_string(hide_password=True)
    print(f"database ready: {url} (schema {current_revision(engine)})")
    from crm.accounts.auth import needs_first_admin

    if needs_first_admin() and not args.admin:
        from crm.accounts.setup import CODE_HOURS, issue_code

        print(f"no account can sign in yet: setup code for the first administrator {issue_code()} "
              f"(valid {CODE_HOURS} h), or `python -m crm users add NAME --role admin`")
    return 0
