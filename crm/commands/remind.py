"""`python -m crm remind`: mail each user's daily digest of what is due (cron-friendly: run it as often as wanted,
each reminder is sent once; crm.reminders.mail)."""

HELP = "mail the daily reminder digests (each reminder once; e-mail must be turned on in settings)"


def add_arguments(parser) -> None:
    parser.add_argument("--today", default="", help="the day to remind for (ISO date; default: today in the office)")


def run(args) -> int:
    from datetime import date

    from crm.commands import ready_engine
    from crm.commands.cli import CliError
    from crm.reminders.mail import send_digests

    ready_engine()
    try:
        day = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise CliError(f"--today: not a date: {args.today[:20]!r}") from None
    done = send_digests(today=day)
    print(f"remind: {done['items']} reminders mailed to {done['users']} users; {done['skipped']} had nothing new")
    return 0
