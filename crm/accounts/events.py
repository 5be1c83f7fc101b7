"""The audit entries of sign-in, sign-out and sessions (kind "users"): one helper, so every account event
reads the same in the audit log."""

from datetime import UTC, datetime

from sqlmodel import Session

from crm import models as m


def log_account_event(s: Session, action: str, username: str, user: m.User | None, summary: str = "",
                      now: datetime | None = None) -> None:
    """Add an audit entry for `action` (login, login_failed, logout, session_refused, session_revoked…)."""
    s.add(m.AuditEntry(user_id=user.id if user else None, username=(username or "?")[:64], action=action,
                       kind="users", record_id=user.id if user else None, summary=summary[:500],
                       at=now or datetime.now(UTC)))
