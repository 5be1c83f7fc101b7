"""One record at `?id=`: every field, links both ways, status changes, history with undo, delete."""

import importlib.util
from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from crm.errors import LiaisonError, ValidationFailed
from crm.i18n import date_pattern
from crm.models.kinds import get_kind, kind_names
from crm.periods import parse_partial, partial_text
from crm.records.dossier import Item, dossier, related
from crm.records.formspec import F, changed_fields, referenced_ids, spec_for
from crm.records.kinds.agreements import expiry_state
from crm.records.names import display_name
from crm.records.queries import get_record, history, status_history, today
from crm.store import writes
from crm.ui import files_view, form_drafts, form_state
from crm.ui.fields import MAX_DATE, MIN_DATE, date_format
from crm.ui.forms import forget_edit, record_form
from crm.ui.pickers import labels_for, link
from crm.ui.quick_edit import quick_edit_panel
from crm.ui.record_labels import labels_line, labels_panel
from crm.ui.shell import actor, guard, lang, plain, show_error, tr
from crm.ui.shown import shown_before
from crm.ui.timefmt import local_time
from crm.ui.values import day_text, partial_day, partial_shown, show_value

LINKED_KINDS = kind_names(entity=True)
DELETING = "_confirm_delete"


def _names(spec, record: dict) -> dict[str, dict[int, str] | str | None]:
    """kind → id → label of the records it names, and "_timezone" → its zone (None when it has none)."""
    names: dict[str, dict[int, str] | str | None] = {
        kind: labels_for(kind, ids) for kind, ids in referenced_ids(spec, record).items()}
    names["_timezone"] = record.get("timezone")
    return names


def _fields(spec, record: dict, names: dict) -> None:
    for section in spec.sections:
        shown = [(f, record[f.name]) for f in section.fields if record.get(f.name) not in (None, "", False)]
        if not shown:
            continue
        st.markdown(f"**{tr(section.label)}**")
        cols = st.columns(2 if section.columns > 1 else 1)
        for index, (f, value) in enumerate(shown):
            with cols[index % len(cols)]:
                st.caption(tr(f.label_key))
                if f.widget == "ref":
                    link(f.ref, int(value), show_value(f, value, names))
                else:
                    st.text(show_value(f, value, names, record))


def _children(spec, record: dict, names: dict) -> None:
    for editor in spec.children:
        rows = record.get(editor.key) or []
        if not rows:
            continue
        st.markdown(f"**{tr(editor.label)}**")
        frame = pd.DataFrame([{tr(c.label_key): show_value(c, row.get(c.name), names, row) for c in editor.columns}
                              for row in rows])
        st.dataframe(frame, hide_index=True, width="stretch")
        linked = [(c.ref, row.get(c.name)) for row in rows for c in editor.columns
                  if c.widget == "ref" and c.ref in LINKED_KINDS and row.get(c.name)]
        seen = set()
        cols = st.columns(3)
        for ref, ref_id in linked:
            if (ref, ref_id) in seen:
                continue
            seen.add((ref, ref_id))
            with cols[len(seen) % 3 - 1]:
                link(ref, int(ref_id), names.get(ref, {}).get(int(ref_id), f"#{ref_id}"))


def item_label(item: Item) -> str:
    parts = [day_text(item.day), item.label]
    if item.status:
        parts.append(tr(f"status.{item.status}"))
    if item.role:
        parts.append(tr(f"role.{item.role}") if item.role in ("member", "met") else tr(f"rec.role.{item.role}"))
    if item.kind == "agreements":
        state = expiry_state(item.extra.get("valid_until"), today())
        if state != "none":
            parts.append(tr(f"rec.expiry.{state}", date=day_text(item.extra.get("valid_until"))))
    return " · ".join(p for p in parts if p)


def items_section(title: str, items: list[Item]) -> None:
    st.markdown(f"**{title}** ({len(items)})")
    for item in items:
        link(item.kind, item.id, item_label(item))
        for signing in item.extra.get("signings") or []:
            st.caption(tr("rec.signing_line", date=day_text(signing["signed_on"]), party=tr(f"party.{signing['party']}"),
                          mode=tr(f"signing_mode.{signing['mode']}"), place=plain(signing["place"] or "—"),
                          who=plain(signing["signatory"] or "—")))


def _timeline(items: list[Item]) -> None:
    if len(items) < 2:
        return
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(
        x=[i.day for i in items], y=[tr(f"page.{i.kind}") for i in items], mode="markers",
        text=[escape(i.label) for i in items],  # names never as plotly HTML
        hovertemplate=f"%{{x|{date_pattern(lang())}}}<br>%{{text}}<extra></extra>",
        marker={"size": 12, "color": "#1f6f8b"}))
    fig.update_layout(height=80 + 40 * len({i.kind for i in items}), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      showlegend=False)
    st.markdown(f"**{tr('rec.timeline')}**")
    st.plotly_chart(fig, config={"displaylogo": False})


def _map(record_id: int) -> None:
    if importlib.util.find_spec("crm.views.map") is None:
        return
    try:
        from crm.views.map import MAP_CONFIG, itinerary_figure
    except ImportError:
        return
    with guard():
        st.plotly_chart(itinerary_figure(record_id, lang()), config=MAP_CONFIG)


def overview(kind: str, record: dict) -> None:
    spec = spec_for(kind)
    names = _names(spec, record)
    _fields(spec, record, names)
    _children(spec, record, names)
    if kind == "cities" and record.get("latitude") is not None:
        st.caption(tr(f"places.source.{record.get('coord_source') or 'manual'}", lat=round(record["latitude"], 4),
                      lon=round(record["longitude"], 4)))
    if kind == "delegations" and record.get("itinerary"):
        _map(record["id"])
    for other, items in related(kind, record["id"], lang()).items():
        if items:
            items_section(tr(f"rec.related.{kind}.{other}"), items)
    found = dossier(kind, record["id"], lang())
    if found is not None:
        st.subheader(tr("rec.dossier"))
        _timeline(found.timeline())
        cols = st.columns(2)
        for index, (section, items) in enumerate((k, v) for k, v in found.sections.items() if v):
            with cols[index % 2]:
                items_section(tr(f"page.{section}"), items)
        if found.count == 0:
            st.info(tr("rec.dossier_empty"))
        files_view.dossier_files({(i.kind, i.id): i.label for items in found.sections.values() for i in items},
                                 f"dossier-{kind}-{record['id']}")


def _status_form(kind: str, record: dict) -> None:
    """Move the record to another status, or keep it and correct only the reason or the new date."""
    key = f"st-{kind}-{record['id']}-v{record['version']}"
    statuses = get_kind(kind).statuses
    labels = {s: tr(f"status.{s}") + (f" ({tr('rec.status_now')})" if s == record["status"] else "")
              for s in statuses}
    others = [s for s in statuses if s != record["status"]]
    choices = [*others, record["status"]] if record["status"] in statuses else others
    new = st.selectbox(tr("rec.new_status"), choices, format_func=labels.__getitem__, key=f"{key}-to")
    same = new == record["status"]
    if same and f"{key}-reason-seeded" not in st.session_state:  # correcting: start from what is on file
        st.session_state[f"{key}-reason"] = record.get("status_reason") or ""
        if record.get("postponed_to"):
            day = date.fromisoformat(str(record["postponed_to"])[:10])
            st.session_state[f"{key}-when"] = partial_text(day, record.get("postponed_to_precision") or "day")
        st.session_state[f"{key}-reason-seeded"] = True
    reason = st.text_input(tr("rec.reason"), key=f"{key}-reason", help=tr("rec.reason_help"))
    when_text = ""
    start = end = None
    c1, c2 = st.columns(2)
    if new == "postponed":  # the new date may be only a year or a month
        when_text = c1.text_input(tr("rec.new_date"), key=f"{key}-when", placeholder=tr("form.partial_hint"),
                                  help=tr("rec.new_date_help"))
    else:
        start = c1.date_input(tr("rec.new_start"), value=None, key=f"{key}-start", min_value=MIN_DATE,
                              max_value=MAX_DATE, format=date_format())
    end = c2.date_input(tr("rec.new_end"), value=None, key=f"{key}-end", min_value=MIN_DATE,
                        max_value=MAX_DATE, format=date_format())
    errors = dict(st.session_state.get(f"{key}-errors") or {})
    precision = "day"
    if when_text.strip():
        try:
            start, precision = parse_partial(when_text)
        except ValueError:
            errors["new_start"] = tr("err.partial_date")
        else:
            st.caption(tr("form.partial_read_as", when=partial_shown(start, precision)))
    for name in ("status", "reason", "new_start", "new_end"):
        if name in errors:
            st.error(plain(errors[name]), icon=":material/error:")
    if st.button(tr("rec.change_status") if not same else tr("rec.correct_status"), key=f"{key}-go", type="primary"):
        if "new_start" in errors and when_text.strip():
            st.session_state[f"{key}-errors"] = {"new_start": tr("err.partial_date")}
            st.rerun()
        try:
            writes.change_status(actor(), kind, record["id"], new, record["version"], reason=reason,
                                 new_start=start, new_end=end, precision=precision)
        except ValidationFailed as exc:
            st.session_state[f"{key}-errors"] = exc.field_messages(lang())
        except LiaisonError as exc:
            show_error(exc)
            return
        else:
            forget_edit(kind, record["id"])
            st.session_state["_flash"] = tr("rec.status_changed", status=tr(f"status.{new}"))
        st.rerun()


def _status_tab(kind: str, record: dict) -> None:
    st.markdown(tr("rec.current_status", status=tr(f"status.{record['status']}")))
    if record.get("status_reason"):
        st.caption(tr("rec.reason_is", reason=plain(record["status_reason"])))
    if record.get("postponed_to"):
        st.caption(tr("rec.postponed_to_is", when=partial_day(record["postponed_to"],
                                                                record.get("postponed_to_precision"))))
    precise = {"month", "year"}
    rows = [{tr("rec.when"): local_time(h["at"], lang()), tr("rec.who"): h["username"],
             tr("rec.from"): tr(f"status.{h['from_status']}") if h["from_status"] else "",
             tr("rec.to"): tr(f"status.{h['to_status']}"), tr("rec.reason"): h["reason"],
             tr("rec.new_dates"): partial_day(h["new_start"], h["new_precision"]) if h.get("new_precision") in precise
             else " – ".join(day_text(d) for d in (h["new_start"], h["new_end"]) if d)}
            for h in status_history(kind, record["id"])]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not actor().can_write or record.get("deleted_at"):
        return
    _status_form(kind, record)


def _history_tab(kind: str, record: dict, shown: int) -> None:
    """The record's audit entries; a writer may restore an earlier state (of the version `shown`)."""
    entries = history(kind, record["id"])
    spec = spec_for(kind)
    for index, entry in enumerate(entries):
        head = tr("rec.history_line", when=local_time(entry["at"], lang()), who=plain(entry["username"]),
                  action=tr(f"rec.action.{entry['action']}"))
        with st.expander(head, expanded=index == 0):
            changes = changed_fields(entry["before"], entry["after"])
            rows = []
            for name, before, after in changes:
                f = spec.field(name) or F(name, label=f"rec.f.{name}")
                rows.append({tr("rec.field"): tr(f.label_key), tr("rec.before"): _short(f, before),
                             tr("rec.after"): _short(f, after)})
            if rows:
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            if not actor().can_write:
                continue
            if entry["action"] == "delete" and index == 0 and record.get("deleted_at"):
                if st.button(tr("rec.undo_delete"), key=f"undo-{entry['id']}", icon=":material/undo:"):
                    _do(lambda: writes.restore(actor(), kind, record["id"], shown), tr("rec.restored"), kind,
                        record["id"])
            elif index > 0 and entry["after"] and st.button(tr("rec.restore_state"), key=f"revert-{entry['id']}",
                                                            icon=":material/history:"):
                _do(lambda e=entry: writes.revert(actor(), e["id"], shown, use="after"), tr("rec.restored"), kind,
                    record["id"])


def _short(f: F, value) -> str:
    if isinstance(value, list):
        return tr("rec.rows", n=len(value))
    return show_value(f, value, {})[:120] if f.widget != "ref" else (f"#{value}" if value else "")


def _do(action, message: str, kind: str, record_id: int) -> None:
    with guard():
        action()
        forget_edit(kind, record_id)
        st.session_state["_flash"] = message
        st.rerun()


def _close_delete() -> None:
    st.session_state.pop(DELETING, None)


@st.dialog(" ", icon=":material/delete:", on_dismiss=_close_delete)  # the title is fixed at import: the text says it
def _confirm_delete(kind: str, record: dict, name: str) -> None:
    """Ask before a (soft, undoable) delete; stays open across reruns until answered or dismissed."""
    st.markdown(f"**{tr('rec.delete_title', kind=tr(f'kind.{kind}'))}**")
    st.write(tr("rec.delete_confirm", kind=tr(f"kind.{kind}"), name=plain(name)))
    c1, c2 = st.columns(2)
    if c1.button(tr("ui.delete"), key="delete-yes", type="primary"):
        _close_delete()
        with guard():
            writes.delete(actor(), kind, record["id"], record["version"])
            forget_edit(kind, record["id"])
            st.session_state["_flash"] = tr("rec.deleted_undo")
        st.rerun()
    if c2.button(tr("ui.cancel"), key="delete-no"):
        _close_delete()
        st.rerun()


def record_name(kind: str, record: dict) -> str:
    """The record's name; a partnership without a title is called by its city."""
    if kind == "partnerships" and not (record.get("title_en") or record.get("title_zh")):
        return labels_for("partnerships", [record["id"]]).get(record["id"]) or f"#{record['id']}"
    return display_name(kind, record, lang())


def _overview_tab(kind: str, record: dict, shown: int, name: str, writer: bool) -> None:
    """The record at a glance; for a writer, quick edit, tags and owner, and delete above and below it."""
    record_id = record["id"]
    if writer:
        with st.container(horizontal=True):
            quick_edit_panel(kind, record, lambda: forget_edit(kind, record_id))
            labels_panel(kind, record, shown, lambda: forget_edit(kind, record_id))
    with guard():
        overview(kind, record)
    if writer:
        if st.button(tr("ui.delete"), key="delete-open", icon=":material/delete:"):
            st.session_state[DELETING] = (kind, record_id)
        if st.session_state.get(DELETING) == (kind, record_id):
            _confirm_delete(kind, record, name)


def record_detail(kind: str, record_id: int) -> None:
    record = get_record(kind, record_id)
    if record is None:
        st.title(tr(f"page.{kind}"))
        st.error(tr("err.not_found", kind=tr(f"kind.{kind}"), id=record_id))
        return
    shown = shown_before(f"record:{kind}:{record_id}", record["version"])  # what a click in this run acted on
    name = record_name(kind, record)
    st.title(plain(name))  # user text: shown as typed, never as Markdown
    status = f" · {tr('status.' + record['status'])}" if record.get("status") else ""
    st.caption(f"{tr(f'kind.{kind}')}{status} · #{record_id}")
    with guard():
        labels_line(kind, record)
    if flash := st.session_state.pop("_flash", None):
        st.success(flash, icon=":material/check_circle:")
    writer = actor().can_write
    if record.get("deleted_at"):
        st.warning(tr("rec.is_deleted"), icon=":material/delete:")
        if writer and st.button(tr("ui.restore"), key="restore-top", icon=":material/restore_from_trash:"):
            _do(lambda: writes.restore(actor(), kind, record_id, shown), tr("rec.restored"), kind, record_id)
    names = [tr("rec.tab.overview"), tr("files.title")]
    if writer and not record.get("deleted_at"):
        names.append(tr("ui.edit"))
    if get_kind(kind).statuses:
        names.append(tr("rec.tab.status"))
    names.append(tr("rec.tab.history"))
    tabs_key = f"tabs-{kind}-{record_id}"  # the tab the user works in stays chosen after every input and save
    if st.session_state.get(tabs_key) not in names:
        st.session_state.pop(tabs_key, None)
    tabs = dict(zip(names, st.tabs(names, key=tabs_key, on_change="rerun"), strict=True))
    with tabs[names[0]]:
        hint = st.empty()  # filled below when the edit form has a draft on offer
        _overview_tab(kind, record, shown, name, writer and not record.get("deleted_at"))
    with tabs[tr("files.title")], guard():
        files_view.files_tab(kind, record)
    if tr("ui.edit") in tabs:
        with tabs[tr("ui.edit")], guard():
            record_form(kind, record)
        prefix = form_state.current_prefix(kind, record_id)
        if prefix and (kept := form_drafts.on_offer(prefix)):
            hint.info(tr("draft.see_edit_tab", at=local_time(kept, lang())), icon=":material/history:")
    if tr("rec.tab.status") in tabs:
        with tabs[tr("rec.tab.status")], guard():
            _status_tab(kind, record)
    with tabs[tr("rec.tab.history")], guard():
        _history_tab(kind, record, shown)
