"""Import: bring in a spreadsheet (CSV or Excel), preview every row, commit as one unit, undo."""

import streamlit as st

from crm.ui import import_view as view
from crm.ui.shell import actor, guard, tr

st.title(tr("page.import"))
who = actor()
if not who.can_write:
    st.info(tr("import.read_only"))
    st.stop()
st.caption(tr("import.intro"))

with guard():
    kind = view.kind_and_template()
    file = view.upload()
    view.show_result(who)
    if file and not st.session_state.get(view.RESULT):
        sheet = view.read_sheet(file, kind)
        if not sheet.rows:
            st.warning(tr("import.empty_file"))
        else:
            mapping = view.mapping_editor(kind, sheet.headers)
            preview = view.build_preview(file, kind, sheet, mapping)
            st.subheader(tr("import.preview"))
            default, decisions = view.preview_table(preview)
            view.commit_button(preview, default, decisions, who)
    view.history(who)
