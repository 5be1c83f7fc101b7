"""settings page: the office's home city, default language and name, how long a sign-in lasts, the shortest
password, the upload and import size limits (administrators only), and the tags records carry."""

import streamlit as st

from crm import config
from crm.accounts import passwords, sessions, settings
from crm.i18n import LANGUAGES
from crm.imports import limits
from crm.records.queries import options
from crm.ui.mail_settings import mail_form
from crm.ui.shell import LANG_NAMES, actor, guard, lang, tr
from crm.ui.tags_view import tags_manager

st.title(tr("page.settings"))
me = actor()
if not me.is_admin:
    st.warning(tr("err.forbidden"))
    st.stop()

current: dict = {}
cities: dict = {}
with guard():
    current = settings.all_settings()
    cities = options("cities", lang(), limit=2000)
home = settings.home_city_id()
city_labels = {"": tr("settings.no_city"), **{str(k): v for k, v in cities.items()}}
language_labels = {"": tr("settings.from_environment"), **{code: LANG_NAMES[code] for code in LANGUAGES}}

with st.form("settings"):
    city_keys = list(city_labels)
    home_key = current.get(settings.HOME_CITY) or (str(home) if home else "")
    city = st.selectbox(tr("app.home_city"), city_keys, format_func=city_labels.__getitem__,
                        index=city_keys.index(home_key) if home_key in city_keys else 0,
                        help=tr("settings.home_city_help"))
    language_keys = list(language_labels)
    saved_language = current.get(settings.DEFAULT_LANGUAGE, "")
    language = st.selectbox(tr("settings.default_language"), language_keys, format_func=language_labels.__getitem__,
                            index=language_keys.index(saved_language) if saved_language in language_keys else 0)
    org_en = st.text_input(tr("settings.organisation_en"), value=current.get(settings.ORGANISATION_EN, ""),
                           max_chars=200)
    org_zh = st.text_input(tr("settings.organisation_zh"), value=current.get(settings.ORGANISATION_ZH, ""),
                           max_chars=200)
    st.markdown(f"**{tr('settings.sessions')}**")
    cols = st.columns(2)
    idle = cols[0].number_input(tr("settings.idle_minutes"), min_value=0, max_value=24 * 60, step=5,
                                value=sessions.idle_minutes(), help=tr("settings.idle_minutes_help"))
    hours = cols[1].number_input(tr("settings.session_hours"), min_value=1, max_value=24 * 30, step=1,
                                 value=sessions.lifetime_hours(), help=tr("settings.session_hours_help"))
    st.markdown(f"**{tr('settings.passwords')}**")
    shortest = st.columns(2)[0].number_input(
        tr("settings.password_min_length"), min_value=passwords.MIN_FLOOR, max_value=128, step=1,
        value=passwords.min_length(), help=tr("settings.password_min_length_help"), key="settings_password_min")
    sizes = st.columns(2)
    file_mb = sizes[0].number_input(
        tr("settings.file_max_mb"), min_value=1, max_value=config.UPLOAD_LIMIT_MB, step=1, key="settings_file_max_mb",
        value=min(settings.file_max_bytes() // 2**20, config.UPLOAD_LIMIT_MB), help=tr("settings.file_max_mb_help"))
    import_mb = sizes[1].number_input(
        tr("settings.import_max_mb"), min_value=1, max_value=1024, step=1, key="settings_import_max_mb",
        value=limits.max_bytes() // 2**20, help=tr("settings.import_max_mb_help", max=config.UPLOAD_LIMIT_MB))
    if st.form_submit_button(tr("settings.save"), type="primary"):
        wanted = {settings.HOME_CITY: city, settings.DEFAULT_LANGUAGE: language,
                  settings.ORGANISATION_EN: org_en, settings.ORGANISATION_ZH: org_zh,
                  settings.IDLE_MINUTES: str(int(idle)), settings.SESSION_HOURS: str(int(hours)),
                  settings.PASSWORD_MIN_LENGTH: str(int(shortest)), settings.FILE_MAX_MB: str(int(file_mb)),
                  settings.IMPORT_MAX_MB: str(int(import_mb))}
        with guard():
            shown = {**current, settings.HOME_CITY: home_key, settings.IDLE_MINUTES: str(sessions.idle_minutes()),
                     settings.SESSION_HOURS: str(sessions.lifetime_hours()),
                     settings.PASSWORD_MIN_LENGTH: str(passwords.min_length()),
                     settings.FILE_MAX_MB: str(settings.file_max_bytes() // 2**20),
                     settings.IMPORT_MAX_MB: str(limits.max_bytes() // 2**20)}
            changed = [k for k, v in wanted.items() if v != shown.get(k, "")]
            for key in changed:
                settings.save(me, key, wanted[key])
            st.success(tr("settings.saved", count=len(changed)))

mail_form(me, current)  # the e-mail section (crm.ui.mail_settings)
with guard():
    tags_manager()
