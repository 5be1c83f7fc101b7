"""Settings: validated, admin only, audited, read fresh (several servers agree), used by the app."""

import pytest
from streamlit.testing.v1 import AppTest

from crm.accounts import settings
from crm.errors import PermissionDenied, ValidationFailed
from crm.records.queries import list_records
from crm.store import writes
from tests.support.apptest import APP, AUTH_KEY, errors, open_page, sign_in_state


def test_settings_are_validated_and_admin_only(engine, admin, staff):
    cid = writes.create(admin, "cities", {"name_en": "Taipei", "name_zh": "臺北", "country_code": "TW"})
    assert settings.home_city_id() == cid  # Taipei by default
    other = writes.create(admin, "cities", {"name_en": "Kaohsiung", "country_code": "TW"})
    settings.save(admin, settings.HOME_CITY, other)
    assert settings.home_city_id() == other
    with pytest.raises(ValidationFailed):
        settings.save(admin, settings.HOME_CITY, "999999")
    with pytest.raises(ValidationFailed):
        settings.save(admin, settings.DEFAULT_LANGUAGE, "fr")
    with pytest.raises(ValidationFailed):
        settings.save(admin, "anything", "x")
    with pytest.raises(ValidationFailed):
        settings.save(admin, settings.ORGANISATION_EN, "x" * 500)
    with pytest.raises(PermissionDenied):
        settings.save(staff, settings.ORGANISATION_EN, "Staff office")
    settings.save(admin, settings.ORGANISATION_ZH, "  臺北市政府秘書處\u200b ")
    assert settings.get(settings.ORGANISATION_ZH) == "臺北市政府秘書處"
    writes.delete(admin, "cities", other, 1)
    assert settings.home_city_id() == cid  # a deleted home city falls back to Taipei


def test_default_language_setting_applies_to_a_new_session(demo_url):
    from crm.accounts.users import ensure_local_user

    settings.save(ensure_local_user(), settings.DEFAULT_LANGUAGE, "en")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[AUTH_KEY] = sign_in_state("admin")
    at.run()
    assert errors(at) == []
    assert at.title[0].value == "Dashboard"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_settings_page_shows_the_home_city(demo_url, lang):
    at = open_page("settings", lang)
    assert errors(at) == []
    taipei = list_records("cities", q="taipei").rows[0]["id"]
    assert at.selectbox[0].value == str(taipei)


def test_settings_page_saves(demo_url):
    at = open_page("settings", "en")
    at.text_input[0].set_value("Secretariat, Taipei City Government")
    at.selectbox[1].set_value("en")
    at.button[0].click().run()
    assert errors(at) == []
    assert [s.value for s in at.success] == ["2 settings saved."]
    assert settings.get(settings.ORGANISATION_EN) == "Secretariat, Taipei City Government"
    assert settings.default_language() == "en"


def test_session_limits_are_settings_with_a_range(engine, admin, monkeypatch):
    from crm.accounts import sessions

    monkeypatch.delenv("LIAISON_IDLE_MINUTES", raising=False)
    assert sessions.idle_minutes() == sessions.DEFAULT_IDLE_MINUTES
    for bad in ("abc", "-5", "99999", "1.5"):
        with pytest.raises(ValidationFailed) as refused:
            settings.save(admin, settings.IDLE_MINUTES, bad)
        assert settings.IDLE_MINUTES in refused.value.errors
    settings.save(admin, settings.IDLE_MINUTES, "45")
    settings.save(admin, settings.SESSION_HOURS, "8")
    assert (sessions.idle_minutes(), sessions.lifetime_hours()) == (45, 8)
    with pytest.raises(ValidationFailed):
        settings.save(admin, settings.SESSION_HOURS, "0")


def test_settings_page_sets_the_minimum_password_length(demo_url):
    at = open_page("settings", "en")
    field = at.number_input(key="settings_password_min")
    assert (field.value, field.min) == (12, 8)
    field.set_value(16)
    at.button[0].click().run()
    assert errors(at) == []
    assert settings.get(settings.PASSWORD_MIN_LENGTH) == "16"


def test_settings_page_sets_the_upload_and_import_limits(demo_url):
    from crm import config
    from crm.imports import limits

    at = open_page("settings", "en")
    files, imports = at.number_input(key="settings_file_max_mb"), at.number_input(key="settings_import_max_mb")
    assert (files.max, imports.value) == (config.UPLOAD_LIMIT_MB, config.UPLOAD_LIMIT_MB)
    files.set_value(10)
    imports.set_value(200)  # the command line may take more than a browser uploads
    at.button[0].click().run()
    assert errors(at) == []
    assert settings.file_max_bytes() == 10 * 2**20 and limits.max_bytes() == 200 * 2**20
