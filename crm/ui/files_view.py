"""Files and photos on a record's page: a gallery of photos, a list of documents, preview, download (streamed from
the store when clicked), upload, delete and restore (writers only), and the files of a dossier's records."""

from functools import partial
from html import escape

import streamlit as st

from crm.errors import LiaisonError
from crm.files import attach
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.ui.timefmt import local_time

GALLERY_COLUMNS = 3
PREVIEWING = "_file_preview"
UPLOADER = "_file_uploader_round"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _caption(row: dict) -> str:
    first, second = (row["caption_zh"], row["caption_en"]) if lang() == "zh-TW" else (row["caption_en"],
                                                                                     row["caption_zh"])
    return first or second or ""


def _meta(row: dict) -> str:
    return tr("files.meta", size=_size(row["size"]), who=row["uploaded_by"], at=local_time(row["uploaded_at"], lang()))


def _download(row: dict, key: str) -> None:
    st.download_button(tr("files.download"), data=partial(attach.open_file, row["id"]), file_name=row["name"],
                       mime=row["mime"], key=f"{key}-dl-{row['id']}", icon=":material/download:", on_click="ignore")


def _close_preview() -> None:
    st.session_state.pop(PREVIEWING, None)


@st.dialog(" ", width="large", on_dismiss=_close_preview)
def _preview(row: dict) -> None:
    st.markdown(f"**{plain(row['name'])}**")
    thumb = attach.thumbnail(row["sha256"])
    if thumb:
        with st.container(border=True):  # a white page needs an edge
            st.image(thumb, caption=plain(_caption(row)) or None)
    else:
        st.info(tr("files.no_preview"))
    st.caption(plain(_meta(row)))
    _download(row, "preview")


def _actions(row: dict, key: str, writer: bool) -> None:
    with st.container(horizontal=True, gap="small"):
        if row["category"] in ("image", "pdf") and st.button(tr("files.preview"), key=f"{key}-pv-{row['id']}",
                                                             icon=":material/visibility:"):
            st.session_state[PREVIEWING] = row["id"]
        _download(row, key)
        if writer and st.button(tr("files.delete"), key=f"{key}-del-{row['id']}", icon=":material/delete:"):
            with guard():
                attach.delete(actor(), row["id"], row["version"])
                st.session_state["_files_flash"] = tr("files.deleted", name=plain(row["name"]))
                st.rerun()


def _gallery(rows: list[dict], key: str, writer: bool, where: dict | None = None) -> None:
    thumbs = attach.thumbnails(r["sha256"] for r in rows)
    for start in range(0, len(rows), GALLERY_COLUMNS):
        cols = st.columns(GALLERY_COLUMNS)
        for col, row in zip(cols, rows[start:start + GALLERY_COLUMNS], strict=False):
            with col, st.container(border=True, key=f"{key}-photo-{row['id']}"):
                if row["sha256"] in thumbs:
                    st.image(thumbs[row["sha256"]], width="stretch")
                st.caption(plain(" · ".join(p for p in (row["name"], _caption(row)) if p)))
                if where:
                    st.caption(plain(where.get((row["kind"], row["record_id"]), "")))
                _actions(row, key, writer)


def _documents(rows: list[dict], key: str, writer: bool, where: dict | None = None) -> None:
    for row in rows:
        with st.container(border=True, key=f"{key}-doc-{row['id']}"):
            kind = tr(f"files.cat.{row['category']}")
            st.markdown(f"**{plain(row['name'])}** · {kind}")
            extra = [_caption(row), _meta(row), (where or {}).get((row["kind"], row["record_id"]), "")]
            st.caption(plain(" · ".join(p for p in extra if p)))
            _actions(row, key, writer)


def show_files(rows: list[dict], key: str, writer: bool, where: dict | None = None) -> None:
    """Photos as a gallery, other files as a list; a preview opens for the file asked for."""
    photos = [r for r in rows if r["category"] == "image"]
    documents = [r for r in rows if r["category"] != "image"]
    if photos:
        st.markdown(f"**{tr('files.photos')}** ({len(photos)})")
        _gallery(photos, key, writer, where)
    if documents:
        st.markdown(f"**{tr('files.documents')}** ({len(documents)})")
        _documents(documents, key, writer, where)
    wanted = st.session_state.get(PREVIEWING)
    shown = next((r for r in rows if r["id"] == wanted), None)
    if shown is not None:
        _preview(shown)


def _uploader_texts() -> None:
    """Streamlit's own drop-zone texts are English and name its own limit (200MB): say ours, in the user's language
    (CSS over its elements: Streamlit offers no setting for them)."""
    from crm.accounts.settings import file_max_bytes

    limit = tr("files.limit_note", max=file_max_bytes() // (1024 * 1024))
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(f"""<style>
{zone} button[data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}
{zone} button[data-testid="stBaseButton-secondary"] p::after {{ content: "{escape(tr('files.browse'))}";
  font-size: 0.875rem; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{escape(limit)}";
  font-size: 0.875rem; }}
</style>""")


def _upload_form(kind: str, record_id: int) -> None:
    from crm.accounts.settings import file_max_bytes

    round_ = st.session_state.get(UPLOADER, 0)
    _uploader_texts()
    chosen = st.file_uploader(tr("files.upload"), accept_multiple_files=True, key=f"files-up-{round_}",
                              help=tr("files.upload_help", max=file_max_bytes() // (1024 * 1024)))
    cols = st.columns(2)
    caption_zh = cols[0].text_input(tr("files.caption_zh"), max_chars=500, key=f"files-cap-zh-{round_}")
    caption_en = cols[1].text_input(tr("files.caption_en"), max_chars=500, key=f"files-cap-en-{round_}")
    if not st.button(tr("files.save"), key="files-save", type="primary", icon=":material/upload:",
                     disabled=not chosen):
        return
    done, refused = 0, []
    for upload in chosen or []:
        try:
            upload.seek(0)
            attach.upload(actor(), kind, record_id, upload.name, upload, caption_en=caption_en, caption_zh=caption_zh)
            done += 1
        except LiaisonError as exc:
            refused.append(plain(exc.message(lang())))  # names the uploaded file
    st.session_state["_files_refused"] = refused
    if done:
        st.session_state["_files_flash"] = tr("files.uploaded", n=done)
    st.session_state[UPLOADER] = round_ + 1
    st.rerun()


def files_tab(kind: str, record: dict) -> None:
    """The record's files: what it carries, its deleted files (to restore), and the upload form for writers."""
    record_id = record["id"]
    writer = actor().can_write and not record.get("deleted_at")
    if flash := st.session_state.pop("_files_flash", None):
        st.success(flash, icon=":material/check_circle:")
    for message in st.session_state.pop("_files_refused", []):
        st.error(message, icon=":material/block:")
    rows = attach.files_of(kind, record_id)
    if rows:
        show_files(rows, f"files-{kind}-{record_id}", writer)
    else:
        st.info(tr("files.none"))
    if writer:
        _upload_form(kind, record_id)
        gone = attach.files_of(kind, record_id, deleted=True)
        if gone:
            with st.expander(tr("files.deleted_list", n=len(gone))):
                for row in gone:
                    cols = st.columns([4, 1])
                    cols[0].markdown(f"{plain(row['name'])} · {plain(_meta(row))}")
                    if cols[1].button(tr("files.restore"), key=f"files-restore-{row['id']}",
                                      icon=":material/restore_from_trash:"):
                        with guard():
                            attach.restore(actor(), row["id"], row["version"])
                            st.session_state["_files_flash"] = tr("files.restored", name=plain(row["name"]))
                            st.rerun()


def dossier_files(records: dict[tuple[str, int], str], key: str) -> None:
    """Files on the records of a dossier (`records`: (kind, id) → the record's name), each saying whose it is."""
    rows = attach.files_on(records)
    if not rows:
        return
    st.subheader(tr("files.in_dossier"))
    where = {pair: tr("files.on_record", record=name) for pair, name in records.items()}
    show_files(rows, key, writer=False, where=where)
