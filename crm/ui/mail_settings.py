"""The settings page's e-mail section: the office's SMTP relay for reminders (crm.reminders.mail), off by default."""

import streamlit as st

from crm.accounts import settings
from crm.store.writes import Actor
from crm.ui.shell import guard, tr

FIELDS = (settings.MAIL_ENABLED, settings.SMTP_HOST, settings.SMTP_PORT, settings.SMTP_STARTTLS, settings.SMTP_SENDER,
          settings.SMTP_USER)


def mail_form(me: Actor, current: dict[str, str]) -> None:
    """Turn e-mail on and name the relay; each changed value saved through `settings.save` (validated, audited)."""
    with st.form("settings_mail"):
        st.markdown(f"**{tr('settings.mail')}**")
        enabled = st.toggle(tr("settings.mail_enabled"), value=current.get(settings.MAIL_ENABLED) == "1")
        cols = st.columns([3, 1, 1], vertical_alignment="bottom")
        host = cols[0].text_input(tr("settings.smtp_host"), value=current.get(settings.SMTP_HOST, ""), max_chars=200)
        port = cols[1].number_input(tr("settings.smtp_port"), min_value=1, max_value=65535, step=1,
                                    value=int(current.get(settings.SMTP_PORT) or 25))
        starttls = cols[2].toggle(tr("settings.smtp_starttls"), value=current.get(settings.SMTP_STARTTLS) == "1")
        left, right = st.columns(2)
        sender = left.text_input(tr("settings.smtp_sender"), value=current.get(settings.SMTP_SENDER, ""),
                                    max_chars=254)
        user = right.text_input(tr("settings.smtp_user"), value=current.get(settings.SMTP_USER, ""), max_chars=200,
                                  help=tr("settings.smtp_password_help"))
        if st.form_submit_button(tr("mail.save"), type="primary"):
            wanted = {settings.MAIL_ENABLED: "1" if enabled else "", settings.SMTP_HOST: host,
                      settings.SMTP_PORT: str(int(port)), settings.SMTP_STARTTLS: "1" if starttls else "",
                      settings.SMTP_SENDER: sender, settings.SMTP_USER: user}
            shown = {**current, settings.SMTP_PORT: current.get(settings.SMTP_PORT) or "25"}
            with guard():
                changed = [k for k in FIELDS if wanted[k] != shown.get(k, "")]
                for key in changed:
                    settings.save(me, key, wanted[key])
                st.success(tr("settings.saved", count=len(changed)))
