"""`python -m crm restore FILE`: restore the database from a signed Liaison backup (audited)."""

HELP = ("restore the database from a backup FILE (refuses other files, newer schemas, an unsigned or altered file, "
        "a non-empty database; audited)")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="a file written by `python -m crm backup` (its signature FILE.sig beside it)")
    parser.add_argument("--force", action="store_true", help="replace a database that already holds records")
    parser.add_argument("--unsigned", action="store_true",
                        help="restore a file whose signature is missing or does not match (an altered file, or one "
                             "signed with another key): only for a file you know the origin of; audited as unsigned")


def run(args) -> int:
    from crm.commands.cli import CliError
    from crm.store.backup import BackupError, restore

    try:
        info = restore(args.file, force=args.force, unsigned=args.unsigned)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    signed = "signed" if info.signed else f"NOT SIGNED: {info.problem}"
    ignored = f"; not copied from the file: {', '.join(info.ignored)}" if info.ignored else ""
    print(f"restored: {info.path} ({info.fmt}, schema {info.revision}, {info.rows} rows, sha256 {info.sha256[:16]}, "
          f"{signed}){ignored}")
    return 0
