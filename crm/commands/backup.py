"""`python -m crm backup FILE`: back up the database (no prompt; for cron)."""

HELP = "back up the database to FILE (SQLite: online copy; PostgreSQL: JSON-lines dump, gzip if FILE ends in .gz)"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="where to write the backup (replaced atomically)")
    parser.add_argument("--format", choices=["sqlite", "jsonl"], default=None,
                        help="default: sqlite for a SQLite database, jsonl for PostgreSQL")


def run(args) -> int:
    from crm.commands.cli import CliError
    from crm.store.backup import BackupError, backup

    try:
        info = backup(args.file, fmt=args.format)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"backup written: {info.path} ({info.fmt}, schema {info.revision}, {info.rows} rows)")
    return 0
