"""`python -m crm restore FILE`: restore the database from a Liaison backup."""

HELP = "restore the database from a backup FILE (refuses other files, newer schemas, a non-empty database)"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="a file written by `python -m crm backup`")
    parser.add_argument("--force", action="store_true", help="replace a database that already holds records")


def run(args) -> int:
    from crm.commands.cli import CliError
    from crm.store.backup import BackupError, restore

    try:
        info = restore(args.file, force=args.force)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"restored: {info.path} ({info.fmt}, schema {info.revision}, {info.rows} rows)")
    return 0
