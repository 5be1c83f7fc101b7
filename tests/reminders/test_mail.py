"""`python -m crm remind` against a local SMTP server (aiosmtpd): each user's digest once, nothing on a second run,
next year's anniversary again; off by default; an unreachable relay marks nothing as sent; both engines."""

import email
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from crm.accounts import settings
from crm.accounts.users import actor_by_name, add_user, set_own_email
from crm.errors import ValidationFailed
from crm.reminders import mail
from crm.store import writes
from tests.support.browser import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by this name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def _turn_on(admin, port: int) -> None:
    for key, value in ((settings.MAIL_ENABLED, "1"), (settings.SMTP_HOST, "127.0.0.1"),
                       (settings.SMTP_PORT, str(port)), (settings.SMTP_SENDER, "liaison@gov.taipei"),
                       (settings.DEFAULT_LANGUAGE, "en")):
        settings.save(admin, key, value)


def test_digest_once_per_reminder(engine, admin, staff, smtp, capsys):
    controller, box = smtp
    city = writes.create(staff, "cities", {"name_en": "Prague", "country_code": "CZ"})
    writes.create(staff, "partnerships", {"city_id": city, "kind": "sister", "status": "active",
                                          "established_on": date(2020, 1, 13)})
    writes.create(staff, "agreements", {"title_en": "Zoo MOU", "status": "signed", "signed_on": date(2020, 1, 13),
                                        "valid_until": date(2030, 2, 20)})
    with pytest.raises(mail.MailOff):  # off by default
        mail.send_digests(today=date(2029, 12, 30))
    _turn_on(admin, controller.port)
    set_own_email(staff, "clerk@gov.taipei")
    add_user(admin, "nomail", "staff", "brass compass winter 43")  # no address: no mail
    with pytest.raises(ValidationFailed):
        set_own_email(actor_by_name("nomail"), "not an address")

    from crm.commands.cli import main

    assert main(["remind", "--today", "2029-12-30"]) == 0
    assert "2 reminders mailed to 1 users" in capsys.readouterr().out
    assert len(box.messages) == 1
    message = box.messages[0]
    assert message["To"] == "clerk@gov.taipei" and message["From"] == "liaison@gov.taipei"
    body = message.get_payload(decode=True).decode()
    assert "10th anniversary of the Prague pact" in body and "Expires: Zoo MOU" in body
    assert main(["remind", "--today", "2029-12-30"]) == 0  # a second run: nothing
    assert main(["remind", "--today", "2029-12-31"]) == 0  # nor the next day: each reminder once
    assert len(box.messages) == 1
    assert mail.send_digests(today=date(2030, 12, 31))["items"] == 1  # next year's anniversary: once again
    assert "11th anniversary" in box.messages[-1].get_payload(decode=True).decode()
    assert mail.send_now(staff.id, "approval:visits:1", "Approve", "A visit waits") is True
    assert mail.send_now(staff.id, "approval:visits:1", "Approve", "A visit waits") is False  # sent today already
    assert len(box.messages) == 3


def test_unreachable_relay_marks_nothing(engine, admin, staff):
    city = writes.create(staff, "cities", {"name_en": "Lima", "country_code": "PE"})
    writes.create(staff, "partnerships", {"city_id": city, "status": "active", "established_on": date(2020, 2, 25)})
    _turn_on(admin, free_port())  # nobody listens there
    set_own_email(staff, "clerk@gov.taipei")
    with pytest.raises(mail.MailFailed):
        mail.send_digests(today=date(2030, 2, 1))
    from sqlalchemy import func, select

    from crm import models as m
    from crm.store.writes import unit

    with unit(None) as s:
        assert s.execute(select(func.count()).select_from(m.SentReminder)).scalar_one() == 0
