"""The import wizard's pieces: upload, column mapping, preview with per-duplicate choices, commit, history."""

import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from crm.i18n import capitalise
from crm.imports import flow as importer
from crm.imports.columns import IMPORT_KINDS, auto_map, field_label, targets, template_csv
from crm.imports.limits import max_bytes
from crm.imports.preview import notes_text
from crm.imports.read import ENCODINGS
from crm.ui.shell import guard, lang, plain, tr
from crm.ui.timefmt import local_time

FILE = "import_file"  # {"name": ..., "data": bytes}: the upload, kept across reruns
RESULT = "import_result"
SHOWN = 500


def kind_and_template() -> str:
    labels = {k: capitalise(tr(f"kind.{k}")) for k in IMPORT_KINDS}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    kind = left.selectbox(tr("import.kind"), list(labels), format_func=labels.__getitem__, key="import_kind")
    right.download_button(tr("import.template"), template_csv(kind), file_name=f"{kind}-template.csv",
                          mime="text/csv", icon=":material/download:")
    return kind


def upload() -> dict | None:
    """The uploaded file (kept in the session so reruns and later steps see it). The browser refuses a file past
    the size limit; the import itself checks it again, and every other limit, before reading the file."""
    megabytes = max(1, max_bytes() // 2**20)
    got = st.file_uploader(tr("import.upload"), type=["csv", "xlsx", "xlsm", "txt"], key="import_uploader",
                           max_upload_size=megabytes, help=tr("import.size_limit", limit=megabytes))
    if got is not None:
        data = got.getvalue()
        if (st.session_state.get(FILE) or {}).get("data") != data:
            st.session_state[FILE] = {"name": got.name, "data": data}
            st.session_state.pop(RESULT, None)
    return st.session_state.get(FILE)


def _encoding(file: dict) -> str | None:
    """The encoding the user chose for a CSV file (None: detect), drawn before the file is read."""
    if file["name"].lower().endswith((".xlsx", ".xlsm")) or file["data"][:4] == b"PK\x03\x04":
        return None
    labels = {"": tr("import.encoding_auto"), **ENCODINGS}
    return st.selectbox(tr("import.encoding_choice"), list(labels), format_func=labels.__getitem__,
                        key="import_encoding") or None


def read_sheet(file: dict, kind: str):
    encoding = _encoding(file)
    sheet_name = st.session_state.get("import_sheet")
    key = (hashlib.sha1(file["data"]).hexdigest(), kind, sheet_name, encoding)
    cached = st.session_state.get("import_sheet_read")
    if cached is None or cached[0] != key:  # reading a big workbook takes seconds: once per file and sheet
        cached = (key, importer.read(file["data"], file["name"], kind, sheet_name, encoding))
        st.session_state["import_sheet_read"] = cached
    sheet = cached[1]
    if len(sheet.sheet_names) > 1:
        st.selectbox(tr("import.sheet"), sheet.sheet_names, key="import_sheet")
    named = ENCODINGS.get(sheet.encoding, sheet.encoding)
    if sheet.encoding and sheet.encoding != "utf-8" and encoding is None:  # detected, not chosen: say so
        st.info(tr("import.encoding_detected", encoding=named), icon=":material/translate:")
    info = tr("import.read_info", rows=len(sheet.rows), blank=sheet.blank_rows, header=sheet.header_line)
    st.caption(info + (" · " + tr("import.encoding", encoding=named) if sheet.encoding else ""))
    return sheet


def mapping_editor(kind: str, headers: list[str]) -> dict[str, str | None]:
    """One selectbox per column of the file, preset from its header (English or Chinese)."""
    auto = auto_map(kind, headers)
    labels = {"": tr("import.ignore"), **{t: field_label(t, lang()) for t in targets(kind)}}
    mapping: dict[str, str | None] = {}
    with st.expander(tr("import.mapping"), expanded=True):
        st.caption(tr("import.mapping_help"))
        cols = st.columns(3)
        for index, header in enumerate(headers):
            key = f"import_map_{kind}_{index}_{header}"
            if st.session_state.get(key) not in labels:
                st.session_state[key] = auto.get(header) or ""
            chosen = cols[index % 3].selectbox(plain(header), list(labels), key=key, format_func=labels.__getitem__)
            mapping[header] = chosen or None
    return mapping


def build_preview(file: dict, kind: str, sheet, mapping: dict) -> importer.Preview:
    """The preview, computed once per file, kind, sheet and mapping (it reads the database)."""
    digest = hashlib.sha1(file["data"]).hexdigest()
    key = (digest, kind, sheet.sheet, sheet.encoding, tuple(sorted((k, v or "") for k, v in mapping.items())))
    cached = st.session_state.get("import_preview")
    if cached is None or cached[0] != key:
        cached = (key, importer.plan(sheet, kind, mapping, filename=file["name"]))
        st.session_state["import_preview"] = cached
    return cached[1]


def _status_frame(preview: importer.Preview, shown: list) -> pd.DataFrame:
    current = lang()
    return pd.DataFrame([
        {tr("import.col.line"): p.line, tr("import.col.status"): tr(f"import.status.{p.status}"),
         tr("import.col.label"): p.label,
         tr("import.col.match"): preview.labels.get(p.match_id, {}).get(current, "") if p.match_id else "",
         tr("import.col.reason"): importer.reason_text(p, current), tr("import.col.notes"): notes_text(p, current)}
        for p in shown])


def preview_table(preview: importer.Preview) -> tuple[str, dict[int, str]]:
    """Counts, the rows with their status and reasons, and the choice for duplicates."""
    counts = preview.counts()
    cols = st.columns(3)
    for col, status in zip(cols, ("new", "duplicate", "invalid"), strict=True):
        col.metric(tr(f"import.count.{status}"), counts.get(status, 0))
    if preview.notes_count():  # values read by interpretation ("約53人" as about 53): the user checks them
        st.warning(tr("import.noted", n=preview.notes_count()), icon=":material/rule:")
    labels = {d: tr(f"import.decision.{d}") for d in importer.DECISIONS}
    default = st.radio(tr("import.on_duplicate"), list(labels), format_func=labels.__getitem__, horizontal=True,
                       key="import_on_duplicate")
    only = st.checkbox(tr("import.only_problems"), value=True, key="import_only_problems")
    shown = preview.shown(only, SHOWN)  # the first rows only: a preview of 100,000 rows is not drawn whole
    frame = _status_frame(preview, shown)
    if frame.empty:
        return default, {}
    decisions: dict[int, str] = {}
    dup_lines = {p.line for p in shown if p.status == "duplicate"}  # each duplicate shown has its own choice
    if dup_lines:
        line_col, decision_col = tr("import.col.line"), tr("import.col.decision")
        frame[decision_col] = [labels[default] if line in dup_lines else "" for line in frame[line_col]]
        edited = st.data_editor(frame, hide_index=True, width="stretch", key="import_decisions",
                                disabled=[c for c in frame.columns if c != decision_col],
                                column_config={decision_col: st.column_config.SelectboxColumn(
                                    options=list(labels.values()))})
        back = {v: k for k, v in labels.items()}
        for line, choice in zip(edited[line_col], edited[decision_col], strict=True):
            if line in dup_lines and back.get(choice, default) != default:
                decisions[int(line)] = back[choice]
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
    if len(frame) >= SHOWN:
        st.caption(tr("import.more_rows", shown=SHOWN, total=len(preview)))
    return default, decisions


def commit_button(preview: importer.Preview, default: str, decisions: dict[int, str], who) -> None:
    result = importer.dry_run(preview, default, decisions, details=False)  # counts only: every rerun
    n = result.counts["imported"] + result.counts["merged"]
    if st.button(tr("import.commit", n=n), type="primary", disabled=n == 0, key="import_commit"):
        bar = st.progress(0.0)
        with guard():
            done = importer.commit(who, preview, on_duplicate=default, decisions=decisions,
                                   progress=lambda f: bar.progress(min(1.0, max(0.0, f))))
            st.session_state[RESULT] = {"batch_id": done.batch_id, "counts": done.counts, "report": done.report}
            st.session_state.pop("import_preview", None)
            st.rerun()


def show_result(who) -> None:
    saved = st.session_state.get(RESULT)
    if not saved:
        return
    result = importer.Result(**saved)
    st.success(tr("import.done"))
    keys = ("rows", "imported", "merged", "skipped", "rejected")
    for col, key in zip(st.columns(len(keys)), keys, strict=True):
        col.metric(tr(f"import.count.{key}"), result.counts.get(key, 0))
    rows = importer.report_rows(result, lang())
    if rows:
        st.dataframe(pd.DataFrame(rows[:SHOWN]), hide_index=True, width="stretch")
    st.download_button(tr("import.report"), importer.report_csv(result, lang()), file_name=f"{result.batch_id}.csv",
                       mime="text/csv", icon=":material/download:")
    assert result.batch_id is not None  # saved by a commit, which gives every import its batch
    undo_button(who, result.batch_id, "import_undo_last")


def undo_button(who, batch_id: str, key: str) -> None:
    if st.button(tr("import.undo"), key=key, icon=":material/undo:"):
        with guard():
            n = importer.undo(who, batch_id)
            st.session_state.pop(RESULT, None)
            st.session_state.pop("import_preview", None)
            st.success(tr("import.undone", n=n))


def history(who) -> None:
    batches = importer.list_batches(prefix="import-", limit=20)
    if not batches:
        return
    st.subheader(tr("import.history"))
    frame = pd.DataFrame([{tr("import.col.file"): b["filename"], tr("import.kind"): capitalise(tr(f"kind.{b['kind']}")),
                           tr("import.col.at"): local_time(b["at"], lang()), tr("import.col.user"): b["username"],
                           tr("import.count.imported"): (b["counts"] or {}).get("imported", 0),
                           capitalise(tr("import.undone_at")): local_time(b["undone_at"], lang())} for b in batches])
    st.dataframe(frame, hide_index=True, width="stretch")
    labels = {b["id"]: f"{b['filename']} · {local_time(b['at'], lang())}" for b in batches}
    cols = st.columns(2, vertical_alignment="bottom")
    shown = cols[0].selectbox(tr("import.saved_report"), list(labels), format_func=labels.__getitem__,
                              key="import_report_pick")
    cols[1].download_button(tr("import.report"), data=partial(importer.saved_report_csv, shown, lang()),
                            file_name=f"{shown}.csv", mime="text/csv", key="import_report_dl", on_click="ignore",
                            icon=":material/download:")
    open_ids = {b["id"]: labels[b["id"]] for b in batches if b["undone_at"] is None}
    if open_ids:
        chosen = st.selectbox(tr("import.undo"), list(open_ids), format_func=open_ids.__getitem__,
                              key="import_undo_pick")
        undo_button(who, chosen, "import_undo_any")
