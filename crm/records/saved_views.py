"""Each user's way of seeing a list: the columns (chosen, in order) and page size kept per kind, and named
views (filters and sort as the list's URL holds them) of their own or shared with the office.

Any signed-in account may keep these, leadership included (they change no record); each change is audited.
"""

from sqlalchemy import or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.errors import NotFound, PermissionDenied, ValidationFailed
from crm.models.kinds import get_kind
from crm.store.cache import cached
from crm.store.prepare import Actor, resolve
from crm.store.writes import unit
from crm.text import clean

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
VIEW_PARAMS = ("q", "period", "status", "country", "city", "kind", "tag", "owner", "sort", "asc")
"""The list's URL parameters a view keeps (crm.ui.list_filters reads and writes them)."""
MAX_NAME = 120


def _audit(s: Session, actor: Actor, action: str, kind: str, record_id: int | None, after: dict | None,
           summary: str) -> None:
    s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action=action, kind="views", record_id=record_id,
                       after=after, summary=f"{kind}: {summary}"[:500]))


@cached  # plain data, re-read after any write
def preference(user_id: int | None, kind_name: str, *, session: Session | None = None) -> dict:
    """{"columns": [...] or None (the kind's own), "page_size": n} of this user's list of `kind_name`."""
    with unit(session) as s:
        row = s.execute(select(col(m.ListPreference.columns), col(m.ListPreference.page_size)).where(
            col(m.ListPreference.user_id) == user_id, col(m.ListPreference.kind) == kind_name)).first()
    if row is None:
        return {"columns": None, "page_size": DEFAULT_PAGE_SIZE}
    size = row[1] if row[1] in PAGE_SIZES else DEFAULT_PAGE_SIZE
    return {"columns": list(row[0]) if row[0] else None, "page_size": size}


def save_preference(actor: Actor, kind_name: str, *, columns: list[str] | None = None,
                    page_size: int | None = None, session: Session | None = None) -> None:
    """Keep this user's columns (None: keep as they are; []: the kind's own) and/or page size for `kind_name`."""
    get_kind(kind_name)
    if page_size is not None and page_size not in PAGE_SIZES:
        raise ValidationFailed({"page_size": ("err.unknown_choice", {"value": str(page_size)[:10]})})
    with unit(session) as s:
        actor = resolve(actor, s)
        row = s.execute(select(m.ListPreference).where(col(m.ListPreference.user_id) == actor.id,
                                                       col(m.ListPreference.kind) == kind_name)).scalars().first()
        if row is None:
            assert actor.id is not None  # a stored account
            row = m.ListPreference(user_id=actor.id, kind=kind_name, page_size=DEFAULT_PAGE_SIZE)
        if columns is not None:
            row.columns = [str(c)[:64] for c in columns][:40] or None
        if page_size is not None:
            row.page_size = page_size
        row.updated_at = m.utcnow()
        s.add(row)
        _audit(s, actor, "update", kind_name, None, {"columns": row.columns, "page_size": row.page_size}, "columns")


@cached  # plain data, re-read after any write
def views_for(user_id: int | None, kind_name: str, *, session: Session | None = None) -> list[dict]:
    """This user's views of `kind_name` and those the office shares, by name: {id, name, shared, params, mine}."""
    v = m.SavedView
    with unit(session) as s:
        rows = s.execute(select(col(v.id), col(v.name), col(v.shared), col(v.params), col(v.user_id)).where(
            col(v.kind) == kind_name, or_(col(v.user_id) == user_id, col(v.shared).is_(True)))
            .order_by(col(v.name), col(v.id)))
        return [{"id": r.id, "name": r.name, "shared": bool(r.shared), "params": dict(r.params or {}),
                 "mine": r.user_id == user_id} for r in rows]


def save_view(actor: Actor, kind_name: str, name: str, params: dict, *, shared: bool = False,
              session: Session | None = None) -> int:
    """Keep the list's filters and sort `params` (URL parameters) under `name`; returns the view's id."""
    get_kind(kind_name)
    name = clean(name or "")
    if not name:
        raise ValidationFailed({"name": ("err.required", {})})
    if len(name) > MAX_NAME:
        raise ValidationFailed({"name": ("err.too_long", {"max": MAX_NAME})})
    kept = {k: str(v)[:200] for k, v in (params or {}).items() if k in VIEW_PARAMS and v not in (None, "")}
    with unit(session) as s:
        actor = resolve(actor, s)
        assert actor.id is not None  # a stored account
        view = m.SavedView(user_id=actor.id, kind=kind_name, name=name, shared=bool(shared), params=kept)
        s.add(view)
        s.flush()
        _audit(s, actor, "create", kind_name, view.id, {"name": name, "shared": bool(shared), "params": kept}, name)
        assert view.id is not None  # flushed
        return view.id


def delete_view(actor: Actor, view_id: int, *, session: Session | None = None) -> None:
    """Remove a view: its owner's, or any shared one by an administrator."""
    with unit(session) as s:
        actor = resolve(actor, s)
        view = s.get(m.SavedView, view_id)
        if view is None:
            raise NotFound("err.not_found", kind="views.view", id=view_id)
        if view.user_id != actor.id and not (actor.is_admin and view.shared):
            raise PermissionDenied("err.forbidden")
        _audit(s, actor, "delete", view.kind, view.id, None, view.name)
        s.delete(view)


__all__ = ["DEFAULT_PAGE_SIZE", "PAGE_SIZES", "VIEW_PARAMS", "delete_view", "preference", "save_preference",
           "save_view", "views_for"]
