"""The password rules (crm.accounts.passwords): a minimum length that is a setting (never below 8), never the user
name, no repeated characters, nothing zxcvbn scores below 3, each refusal naming its reason in both languages;
a new password — reset by an administrator or changed by its owner — ends the account's other sessions."""

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts import auth, passwords, sessions, settings
from crm.accounts.users import actor_by_name, add_user, set_password
from crm.errors import ValidationFailed
from crm.i18n import t
from tests.support.apptest import as_read, errors, open_page, rerun_through_main

OLD = "lantern harbour quietly 47"
NEW = "copper kettle river 1984 dawn"


@pytest.fixture(autouse=True)
def _login_mode(monkeypatch):
    monkeypatch.delenv("LIAISON_USER", raising=False)


@pytest.mark.parametrize(("password", "reason"), [
    ("password", "err.password_short"),  # accepted before: 8 characters
    ("12345678", "err.password_short"),
    (" " * 8, "err.password_short"),
    ("secretariat", "err.password_short"),  # the user name itself
    ("secretariat2026", "auth.pw_name"),
    ("2026SECRETARIAT!", "auth.pw_name"),
    (" " * 12, "auth.pw_repeated"),
    ("aaaaaaaaaaaaaaaa", "auth.pw_repeated"),
    ("abababababab", "auth.pw_repeated"),
    ("passwordpassword", "auth.pw_repeated"),
    ("password1234", "auth.pw_common"),
    ("qwertyuiopasdf", "auth.pw_common"),
    ("1qaz2wsx3edc", "auth.pw_common"),
    ("abcdefghijklm", "auth.pw_sequence"),
])
def test_weak_passwords_are_refused_with_the_reason_in_both_languages(engine, admin, password, reason):
    with pytest.raises(ValidationFailed) as refused:
        add_user(admin, "secretariat", "staff", password)
    assert refused.value.errors["password"][0] == reason
    for lang in ("en", "zh-TW"):
        assert t(reason, lang, min=12) in refused.value.message(lang)
    assert not _users(engine, "secretariat")  # nothing created


def _users(engine, name: str) -> list[m.User]:
    with Session(engine) as s:
        return list(s.scalars(select(m.User).where(m.User.username == name)))


@pytest.mark.parametrize("password", [OLD, "梅花鹿在臺北市政府的屋頂跳舞", "Chen Wei-ling 1980 Taipei",
                                      "copper-kettle-river"])
def test_strong_passwords_and_passphrases_are_accepted(engine, admin, password):
    add_user(admin, "secretariat", "staff", password)
    assert auth.authenticate("secretariat", password).username == "secretariat"


def test_every_way_to_set_a_password_applies_the_rules(engine, admin):
    from crm.accounts import setup

    with pytest.raises(ValidationFailed):
        auth.create_first_admin("boss", "12345678", setup.issue_code())
    uid = add_user(admin, "clerk", "staff", OLD)
    with pytest.raises(ValidationFailed):
        set_password(admin, uid, "password")
    with pytest.raises(ValidationFailed) as named:
        set_password(admin, uid, "Clerk-of-the-Council")
    assert named.value.errors["password"][0] == "auth.pw_name"
    assert passwords.problem(OLD, "clerk") is None


def test_the_minimum_length_is_a_setting_never_below_eight(engine, admin):
    assert passwords.min_length() == 12
    for bad in ("7", "0", "abc", "1000"):
        with pytest.raises(ValidationFailed) as refused:
            settings.save(admin, settings.PASSWORD_MIN_LENGTH, bad)
        assert settings.PASSWORD_MIN_LENGTH in refused.value.errors
    settings.save(admin, settings.PASSWORD_MIN_LENGTH, "20")
    assert passwords.min_length() == 20
    add_user(admin, "clerk", "staff", OLD)  # 26 characters
    with pytest.raises(ValidationFailed) as short:
        add_user(admin, "clerk2", "staff", "copper kettle river")  # 19
    assert short.value.errors["password"] == ("err.password_short", {"min": 20})
    settings.save(admin, settings.PASSWORD_MIN_LENGTH, "8")
    add_user(admin, "clerk3", "staff", "Xk9#mP2q!")  # 9 characters, and hard to guess


def test_a_password_reset_ends_every_session_of_the_account(engine, admin):
    uid = add_user(admin, "clerk", "staff", OLD)
    clerk = actor_by_name("clerk")
    tokens = [sessions.start(clerk) for _ in range(3)]
    set_password(admin, uid, NEW)
    assert [sessions.resolve(token).reason for token in tokens] == ["password"] * 3
    assert auth.authenticate("clerk", NEW).username == "clerk"


def test_changing_ones_own_password_needs_the_current_one_and_ends_the_other_sessions(engine, admin):
    add_user(admin, "clerk", "staff", OLD)
    clerk = actor_by_name("clerk")
    here, other_tab, laptop = (sessions.start(clerk) for _ in range(3))
    here_id = sessions.resolve(here).session_id
    with pytest.raises(auth.LoginRefused):
        auth.change_own_password("clerk", "not my password", NEW, keep_session_id=here_id)
    with pytest.raises(ValidationFailed) as weak:
        auth.change_own_password("clerk", OLD, "password1234", keep_session_id=here_id)
    assert weak.value.errors["password"][0] == "auth.pw_common"
    with pytest.raises(ValidationFailed) as same:
        auth.change_own_password("clerk", OLD, OLD, keep_session_id=here_id)
    assert same.value.errors["password"][0] == "auth.pw_same"
    assert all(sessions.resolve(token).actor is not None for token in (here, other_tab, laptop))  # nothing changed
    auth.change_own_password("clerk", OLD, NEW, keep_session_id=here_id)
    assert sessions.resolve(here).actor.username == "clerk"  # this browser stays signed in
    assert [sessions.resolve(token).reason for token in (other_tab, laptop)] == ["password", "password"]
    assert auth.authenticate("clerk", NEW).username == "clerk"
    with pytest.raises(auth.LoginRefused):
        auth.authenticate("clerk", OLD)
    with Session(engine) as s:
        entry = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "password_changed")).one()
    assert entry.username == "clerk" and OLD not in str(entry.after) and NEW not in str(entry.after)


def test_a_wrong_current_password_counts_towards_the_lock_out(engine, admin):
    add_user(admin, "clerk", "staff", OLD)
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(auth.LoginRefused):
            auth.change_own_password("clerk", "guess guess", NEW)
    with pytest.raises(auth.LockedOut):
        auth.change_own_password("clerk", "guess guess", NEW)
    with pytest.raises(auth.LockedOut):
        auth.change_own_password("clerk", OLD, NEW)


# ------------------------------------------------------------------ the screens


def _texts(at) -> str:
    return " ".join(as_read(e.value) for e in (*at.info, *at.warning, *at.error, *at.success, *at.caption))


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_first_run_form_names_the_reason_then_takes_a_strong_password(sqlite_url, monkeypatch, lang):
    from crm.accounts import setup

    rerun_through_main(monkeypatch)
    code = setup.issue_code()
    at = open_page(None, lang, anonymous=True)
    for value, widget in zip((code, "boss", "password1234", "password1234"), at.text_input, strict=True):
        widget.set_value(value)
    at.button[0].click().run()
    assert errors(at) == []
    assert t("auth.pw_common", lang) in _texts(at) and not _users_named("boss")
    for index, value in ((2, NEW), (3, NEW)):
        at.text_input[index].set_value(value)
    at.button[0].click().run()
    assert errors(at) == [] and at.get("link_button")  # signed in: on to /session/start
    assert _users_named("boss")


def _users_named(name: str) -> bool:
    from crm.accounts.users import get_user

    return get_user(name) is not None


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_sign_in_screen_changes_a_password_and_a_weak_old_one_must_be_changed(engine, admin, monkeypatch, lang):
    from crm.accounts.users import get_user

    rerun_through_main(monkeypatch)
    set_password(admin, admin.id, OLD)  # so the sign-in form (not the first run) shows
    add_user(admin, "clerk", "staff", OLD)
    with Session(engine) as s:  # a password set under the old rules (8 characters)
        user = s.scalars(select(m.User).where(m.User.username == "clerk")).one()
        user.password_hash = passwords.hash_password("password")
        s.add(user)
        s.commit()
    at = open_page(None, lang, anonymous=True)
    at.text_input(key="login_name").set_value("clerk")
    at.text_input(key="login_password").set_value("password")
    at.button(key="FormSubmitter:login-" + t("auth.sign_in", lang)).click().run()
    assert errors(at) == [] and not at.get("link_button")  # not signed in with it
    assert t("auth.weak_current", lang, reason=t("err.password_short", lang, min=12)) in _texts(at)
    at.text_input(key="pw_change_name").set_value("clerk")
    at.text_input(key="pw_change_current").set_value("password")
    at.text_input(key="pw_change_new").set_value("qwertyuiopasdf")
    at.text_input(key="pw_change_repeat").set_value("qwertyuiopasdf")
    at.button(key="FormSubmitter:pw_change-" + t("auth.change_password", lang)).click().run()
    assert t("auth.pw_common", lang) in _texts(at) and not at.get("link_button")
    at.text_input(key="pw_change_current").set_value("password")
    at.text_input(key="pw_change_new").set_value(NEW)
    at.text_input(key="pw_change_repeat").set_value(NEW)
    at.button(key="FormSubmitter:pw_change-" + t("auth.change_password", lang)).click().run()
    assert errors(at) == [] and at.get("link_button")  # changed, and signed in
    assert passwords.verify_password(get_user("clerk").password_hash, NEW)


def test_a_signed_in_user_changes_their_password_in_the_sidebar(engine, admin, monkeypatch):
    rerun_through_main(monkeypatch)
    add_user(admin, "clerk", "staff", OLD)
    laptop = sessions.start(actor_by_name("clerk"))
    at = open_page(None, "en", user="clerk")
    at.text_input(key="my_pw_current").set_value(OLD)
    at.text_input(key="my_pw_new").set_value("password")
    at.text_input(key="my_pw_repeat").set_value("password")
    at.button(key="FormSubmitter:my_pw-" + t("auth.change_password", "en")).click().run()
    assert t("err.password_short", "en", min=12) in _texts(at)
    at.text_input(key="my_pw_current").set_value(OLD)
    at.text_input(key="my_pw_new").set_value(NEW)
    at.text_input(key="my_pw_repeat").set_value(NEW)
    at.button(key="FormSubmitter:my_pw-" + t("auth.change_password", "en")).click().run()
    assert errors(at) == [] and t("auth.password_changed", "en") in _texts(at)
    assert sessions.resolve(laptop).reason == "password"
    at.run()
    assert at.title[0].value == t("page.dashboard", "en")  # still signed in here
