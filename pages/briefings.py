"""Briefings: pick a delegation, a visit, a city or people and cities; preview; download Word, PDF, Excel, CSV."""

import streamlit as st

from crm.documents.briefings.build import SOURCES, build
from crm.documents.briefings.files import BRIEFING_FORMATS, MIME, briefing_file, briefing_filename
from crm.documents.briefings.picks import pick_labels
from crm.documents.calendar import briefing_ics, people_vcf
from crm.documents.docx import cell_text
from crm.documents.fonts import NoCjkFont, find_cjk_font
from crm.i18n import LANGUAGES, capitalise
from crm.records.queries import options
from crm.ui import url_params
from crm.ui.frames import text_table
from crm.ui.shell import LANG_NAMES, guard, lang, plain, tr

current = lang()
st.title(tr("page.briefings"))
st.caption(tr("brief.intro"))


def _pick_one(kind: str, key: str) -> int | None:
    q = st.text_input(tr("ui.search"), key=f"{key}_q")
    labels = pick_labels(kind, current, q)
    try:
        wanted = url_params.record_id()
    except url_params.BadParam as bad:
        st.warning(tr("err.not_found", kind=tr(f"kind.{kind}"), id=plain(bad.shown)))
        wanted = None
    if wanted is not None and wanted not in labels and not q:
        labels = {**options(kind, current, ids=[wanted]), **labels}
        if wanted not in labels:
            st.warning(tr("err.not_found", kind=tr(f"kind.{kind}"), id=wanted))
    ids = list(labels)
    if not ids:
        st.info(tr("ui.empty"))
        return None
    index = ids.index(wanted) if wanted is not None and wanted in labels else 0
    return st.selectbox(capitalise(tr(f"kind.{kind}")), ids, index=index, format_func=labels.__getitem__, key=key)


def choose() -> dict | None:
    source_labels = {s: tr(f"brief.source.{s}") for s in SOURCES}
    wanted = url_params.choice("source", SOURCES, SOURCES[0])
    source = st.radio(tr("brief.start_from"), SOURCES, horizontal=True, format_func=source_labels.__getitem__,
                      index=SOURCES.index(wanted), key="brief_source")
    if source != "selection":
        record_id = _pick_one(source, f"brief_{source}")
        return None if record_id is None else {"source": source, "record_id": record_id}
    q = st.text_input(tr("ui.search"), key="brief_sel_q")
    people = options("people", current, q=q)
    cities = options("cities", current, q=q)
    person_ids = st.multiselect(tr("brief.people"), list(people), format_func=people.__getitem__, key="brief_people")
    city_ids = st.multiselect(tr("brief.cities"), list(cities), format_func=cities.__getitem__, key="brief_cities")
    if not person_ids and not city_ids:
        st.info(tr("brief.pick_some"))
        return None
    return {"source": "selection", "person_ids": person_ids, "city_ids": city_ids}


def show_table(table) -> None:
    if not table.rows:
        st.caption(tr("ui.none"))
        return
    st.dataframe(text_table(table.headers, [[cell_text(v, current) for v in row] for row in table.rows]),
                 hide_index=True, width="stretch")


def preview(briefing) -> None:
    st.subheader(plain(briefing.title))
    if briefing.subtitle:
        st.text(briefing.subtitle)
    st.caption(" · ".join(plain(part) for part in briefing.summary))
    for table in (briefing.agenda, briefing.people):
        st.markdown(f"**{plain(table.title)}**")
        show_table(table)
    for index, city in enumerate(briefing.cities):
        box = st.expander(plain(city.name), key=f"brief_city_{index}", on_change="rerun")
        if not box.open:  # drawn when opened: a trip's cities each hold several tables
            continue
        with box:
            for fact in city.facts[1:]:
                st.text("• " + fact)
            for table in city.tables:
                st.markdown(f"**{plain(table.title)}**")
                show_table(table)
    if briefing.photos:
        st.markdown(f"**{tr('brief.photos')}**")
        st.image([p["data"] for p in briefing.photos], caption=[plain(p["caption"]) for p in briefing.photos], width=220)


def downloads(briefing) -> None:
    row = st.container(horizontal=True)  # one block, not a column per button
    for fmt in BRIEFING_FORMATS:
        if fmt == "pdf":
            try:
                find_cjk_font()
            except NoCjkFont as exc:
                row.warning(plain(exc.message(current)))
                continue
        row.download_button(tr(f"brief.download.{fmt}"), data=lambda fmt=fmt: briefing_file(briefing, fmt),
                            file_name=briefing_filename(briefing, fmt), mime=MIME[fmt], key=f"brief_dl_{fmt}",
                            on_click="ignore", width="stretch")
    row.download_button(tr("brief.download.ics"), data=lambda: briefing_ics(briefing),
                             file_name=briefing_filename(briefing, "ics"), mime=MIME["ics"], key="brief_dl_ics",
                             on_click="ignore", width="stretch", disabled=not (briefing.record_id or briefing.city_ids))
    row.download_button(tr("brief.download.vcf"), data=lambda: people_vcf(briefing.lang, ids=briefing.person_ids),
                             file_name=briefing_filename(briefing, "vcf"), mime=MIME["vcf"], key="brief_dl_vcf",
                             on_click="ignore", width="stretch", disabled=not briefing.person_ids)


with guard():
    choice = choose()
    doc_lang = st.segmented_control(tr("brief.doc_lang"), LANGUAGES, default=current, format_func=LANG_NAMES.get,
                                    key="brief_lang") or current
    with_photos = st.checkbox(tr("brief.with_photos"), key="brief_photos")
    if choice is not None:
        briefing = build(choice["source"], record_id=choice.get("record_id"), person_ids=choice.get("person_ids"),
                         city_ids=choice.get("city_ids"), lang=doc_lang, photos=with_photos)
        st.divider()
        downloads(briefing)
        preview(briefing)
