"""E-mail through the office's SMTP relay: a daily digest per user of what is due, and immediate mail (approvals).

Off by default: an administrator sets `mail_enabled`, the relay's host, port, STARTTLS and sender (and a user
name; the password comes from `LIAISON_SMTP_PASSWORD`, never from the database). Each reminder is mailed once:
`sentreminder` keeps (user, reminder key, day) of everything sent, so `python -m crm remind` can run from cron
as often as wanted and a second run sends nothing new. A digest goes to every active user with an address and
holds the due inbox items (crm.reminders.inbox) not mailed to them before.
"""

import os
import smtplib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select
from sqlmodel import col

from crm import models as m
from crm.accounts import settings
from crm.config import today as office_today
from crm.errors import LiaisonError
from crm.i18n import date_text, t
from crm.reminders import inbox
from crm.store.writes import Actor, unit

PASSWORD_ENV = "LIAISON_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30


class MailOff(LiaisonError):
    """E-mail is not turned on, or no relay is set."""


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    starttls: bool
    sender: str
    user: str
    password: str


def relay() -> Relay | None:
    """The relay as set, or None while e-mail is off (or no host and sender are set)."""
    if settings.get(settings.MAIL_ENABLED) != "1":
        return None
    host, sender = settings.get(settings.SMTP_HOST), settings.get(settings.SMTP_SENDER)
    if not host or not sender:
        return None
    port = settings.get(settings.SMTP_PORT, "25")
    return Relay(host, int(port) if port.isdigit() else 25, settings.get(settings.SMTP_STARTTLS) == "1", sender,
                 settings.get(settings.SMTP_USER), os.environ.get(PASSWORD_ENV, ""))


class MailFailed(LiaisonError):
    """The relay could not be reached or refused the mail: nothing is marked as sent."""


def _send(r: Relay, messages: list[EmailMessage]) -> None:
    try:
        with smtplib.SMTP(r.host, r.port, timeout=TIMEOUT_SECONDS) as smtp:
            if r.starttls:
                smtp.starttls()
            if r.user:
                smtp.login(r.user, r.password)
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed("mail.failed", host=r.host, reason=str(exc).splitlines()[0][:200] if str(exc) else
                         type(exc).__name__) from exc


def _message(r: Relay, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = r.sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="liaison")
    message.set_content(body)
    return message


def _sent_keys(s, user_id: int) -> set[str]:
    return set(s.scalars(select(col(m.SentReminder.reminder_key)).where(col(m.SentReminder.user_id) == user_id)).all())


def digest_body(rows: list[dict], lang: str) -> str:
    lines = [t("mail.digest.intro", lang), ""]
    for row in rows:
        lines.append(f"- {date_text(row['day'], lang)}  [{inbox.label(row['category'], lang)}]  {row['title']}")
    lines += ["", t("mail.digest.footer", lang)]
    return "\n".join(lines)


def send_digests(*, today: date | None = None) -> dict[str, int]:
    """Mail each user the due items not mailed to them before; {"users": mailed, "items": reminders, "skipped": …}."""
    r = relay()
    if r is None:
        raise MailOff("mail.off")
    today = today or office_today()
    lang = settings.default_language()
    done = {"users": 0, "items": 0, "skipped": 0}
    with unit(None) as s:
        users = s.scalars(select(m.User).where(col(m.User.active).is_(True), col(m.User.email) != "")
                          .order_by(col(m.User.id))).all()
        people = [(u.id, u.username, u.role, u.email) for u in users]
    for user_id, username, role, email in people:
        me = Actor(username=username, role=role, id=user_id)
        with unit(None) as s:
            sent = _sent_keys(s, user_id)
            due = [row for row in inbox.items(me, lang, today=today, session=s)
                   if row["due"] and row["key"] not in sent]
            if not due:
                done["skipped"] += 1
                continue
            subject = t("mail.digest.subject", lang, n=len(due), day=date_text(today, lang))
            for row in due:  # recorded first, in the same transaction: a failed send rolls them back
                s.add(m.SentReminder(user_id=user_id, reminder_key=row["key"], day=today))
            s.flush()
            _send(r, [_message(r, email, subject, digest_body(due, lang))])
        done["users"] += 1
        done["items"] += len(due)
    return done


def send_now(user_id: int, key: str, subject: str, body: str, *, today: date | None = None) -> bool:
    """Mail one reminder at once (an approval waiting: the hook for approvals), unless e-mail is off, the user has no
    address or it was sent today already. True when sent."""
    r = relay()
    if r is None:
        return False
    today = today or office_today()
    with unit(None) as s:
        user = s.get(m.User, user_id)
        if user is None or not user.active or not user.email:
            return False
        if s.scalars(select(m.SentReminder).where(col(m.SentReminder.user_id) == user_id,
                                                  col(m.SentReminder.reminder_key) == key,
                                                  col(m.SentReminder.day) == today)).first() is not None:
            return False
        s.add(m.SentReminder(user_id=user_id, reminder_key=key, day=today))
        s.flush()
        _send(r, [_message(r, user.email, subject, body)])
    return True
