"""Named drafts of the half-year report's text: saved, listed, re-opened, deleted, and one marked as issued.

Report drafts are the office's working copies of one report, so every signed-in user may list and read those of a
period and language (leadership reads the report before it goes out). Admin and staff save them; only a draft's
author or an administrator changes or deletes it. Marking a version as issued is an audited write (kind "report",
action "issue"): from then on it is read-only, kept with the figures (crm.views.counts.PeriodCounts) its text was
built from. Every function takes the acting user and checks it here, not only on the screen.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import NotFound, PermissionDenied, ValidationFailed
from crm.i18n import LANGUAGES
from crm.periods import Period, parse_period
from crm.store.writes import Actor, require_write, unit
from crm.text import clean
from crm.views.counts import PeriodCounts, period_counts

NAME_MAX = 120
TEXT_MAX = 200_000
AUDIT_KIND = "report"
COUNT_NAMES = tuple(PeriodCounts().as_dict())


@dataclass(frozen=True)
class ReportDraft:
    """A saved version of the report's text (`text` is "" in a listing: open the draft to read it)."""

    id: int
    name: str
    period: str
    lang: str
    username: str
    user_id: int | None
    saved_at: datetime
    issued_at: datetime | None = None
    issued_by: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    text: str = ""

    @property
    def issued(self) -> bool:
        return self.issued_at is not None


def report_counts(period: Period) -> dict[str, int]:
    """The figures the report of `period` is built from now (the dashboard's own counts)."""
    return period_counts(period).as_dict()


def _reader(actor: Actor | None) -> Actor:
    if actor is None or actor.id is None:
        raise PermissionDenied("err.forbidden")
    return actor


def _period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(str(period))
    except ValueError as exc:
        raise ValidationFailed({"period": ("report.err_period", {"period": str(period)[:40]})}) from exc


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValidationFailed({"lang": ("report.err_lang", {"lang": str(lang)[:10]})})
    return lang


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _info(row: m.ReportDraft, *, with_text: bool = True) -> ReportDraft:
    assert row.id is not None  # read from the table
    saved = _aware(row.saved_at)
    assert saved is not None
    return ReportDraft(row.id, row.name, row.period, row.lang, row.username, row.user_id, saved,
                       _aware(row.issued_at), row.issued_by, dict(row.counts or {}), row.text if with_text else "")


def _load(s: Session, draft_id: int) -> m.ReportDraft:
    row = s.get(m.ReportDraft, draft_id)
    if row is None:
        raise NotFound("report.err_no_draft", id=draft_id)
    return row


def _may_change(actor: Actor, row: m.ReportDraft) -> None:
    require_write(actor)
    if row.issued_at is not None:
        raise PermissionDenied("report.err_issued", name=row.name)
    if row.user_id != actor.id and not actor.is_admin:
        raise PermissionDenied("report.err_not_yours", name=row.name, user=row.username)


def may_change(actor: Actor, draft: ReportDraft) -> bool:
    """Whether the actor may overwrite or delete `draft` (its author or an administrator, until it is issued)."""
    return actor.can_write and not draft.issued and (draft.user_id == actor.id or actor.is_admin)


def _checked(name: str, text: str, counts: dict | None) -> tuple[str, str, dict[str, int]]:
    errors: dict[str, tuple[str, dict]] = {}
    name = clean(name)
    if not name:
        errors["name"] = ("err.required", {})
    elif len(name) > NAME_MAX:
        errors["name"] = ("err.too_long", {"max": NAME_MAX})
    text = (text or "").replace("\r\n", "\n")
    if not text.strip():
        errors["text"] = ("err.required", {})
    elif len(text) > TEXT_MAX:
        errors["text"] = ("err.too_long", {"max": TEXT_MAX})
    figures = {k: int(v) for k, v in (counts or {}).items() if k in COUNT_NAMES and isinstance(v, int)}
    if errors:
        raise ValidationFailed(errors)
    return name, text, figures


def save_report_draft(actor: Actor, period: Period | str, lang: str, name: str, text: str, *,
                      counts: dict | None = None, draft_id: int | None = None, now: datetime | None = None,
                      session: Session | None = None) -> int:
    """Save the text as a new named draft, or over the draft `draft_id` (the actor's own, or any as admin, not
    issued); `counts` are the figures it was built from (now's when not given). Returns the draft's id."""
    require_write(actor)
    _reader(actor)
    chosen, lang = _period(period), _lang(lang)
    name, text, figures = _checked(name, text, counts)
    figures = figures or report_counts(chosen)
    now = now or datetime.now(UTC)
    with unit(session) as s:
        if draft_id is not None:
            row = _load(s, draft_id)
            _may_change(actor, row)
            row.name, row.text, row.counts, row.saved_at = name, text, figures, now
        else:
            row = m.ReportDraft(user_id=actor.id, username=actor.username[:64], name=name, period=chosen.label_code,
                                lang=lang, text=text, counts=figures, saved_at=now)
        s.add(row)
        s.flush()
        assert row.id is not None  # flushed
        return row.id


def report_drafts(actor: Actor, period: Period | str, lang: str, *, session: Session | None = None) -> list[ReportDraft]:
    """The saved drafts of the period's report in `lang`, newest first (without their text)."""
    _reader(actor)
    code, lang = _period(period).label_code, _lang(lang)
    d = m.ReportDraft
    with unit(session) as s:
        rows = s.scalars(select(d).where(col(d.period) == code, col(d.lang) == lang)
                         .order_by(col(d.saved_at).desc(), col(d.id).desc())).all()
        return [_info(row, with_text=False) for row in rows]


def report_draft(actor: Actor, draft_id: int, *, session: Session | None = None) -> ReportDraft:
    """One draft with its text (any signed-in user may read the office's drafts)."""
    _reader(actor)
    with unit(session) as s:
        return _info(_load(s, draft_id))


def delete_report_draft(actor: Actor, draft_id: int, *, session: Session | None = None) -> None:
    """Delete a draft (its author or an administrator); an issued report is kept."""
    with unit(session) as s:
        row = _load(s, draft_id)
        _may_change(actor, row)
        s.delete(row)


def issue_report_draft(actor: Actor, draft_id: int, *, now: datetime | None = None,
                       session: Session | None = None) -> ReportDraft:
    """Mark the draft as the issued report (admin or staff): read-only from now on, with the figures it was built
    from; audited."""
    require_write(actor)
    now = now or datetime.now(UTC)
    with unit(session) as s:
        row = _load(s, draft_id)
        if row.issued_at is not None:
            raise PermissionDenied("report.err_issued", name=row.name)
        row.issued_at, row.issued_by = now, actor.username[:64]
        s.add(row)
        saved = _aware(row.saved_at)
        after = {"name": row.name, "period": row.period, "lang": row.lang, "author": row.username,
                 "saved_at": saved.isoformat() if saved else None, "issued_at": now.isoformat(),
                 "counts": dict(row.counts or {}), "text": row.text}
        s.add(m.AuditEntry(user_id=actor.id, username=actor.username[:64], action="issue", kind=AUDIT_KIND,
                           record_id=row.id, after=after, at=now,
                           summary=f"{row.period} {row.lang}: {row.name}"[:500]))
        s.flush()
        return _info(row)
