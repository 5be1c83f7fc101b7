"""Keyboard help the browser needs a few lines of script for: "/" or Ctrl+K puts the cursor in the global search
box, and a form's first field has the cursor when the form opens. Each script is fixed text (no user text, nothing
fetched), drawn with `st.html` as the drafts' leave guard is (crm.ui.form_drafts)."""

import streamlit as st

SEARCH_BOX_KEY = "global_search"

_SHORTCUT = """<script>
(function () {
  var w = window;
  if (w.__liaisonKeys) return;
  w.__liaisonKeys = true;
  w.document.addEventListener("keydown", function (event) {
    var target = event.target || {};
    var tag = target.tagName || "";
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
    var ctrlK = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey);
    if (!ctrlK && !(event.key === "/" && !typing)) return;
    var box = w.document.querySelector(".st-key-%(key)s input");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  }, true);
})();
</script>"""

_AUTOFOCUS = """<script>
(function () {
  var w = window, opening = "%(opening)s", tries = 0;
  if (w.__liaisonFocused === opening) return;
  function focus() {
    var form = w.document.querySelector(".st-key-%(container)s");
    var first = form && form.querySelector("input:not([type=checkbox]):not([disabled]), textarea");
    if (!first || first.offsetParent === null) {
      if (++tries < 40) w.setTimeout(focus, 50);
      return;
    }
    w.__liaisonFocused = opening;
    var active = w.document.activeElement;
    if (active && active !== w.document.body && !form.contains(active)) return;
    first.focus();
  }
  focus();
})();
</script>"""


def search_shortcut() -> None:
    """"/" (outside a text box) or Ctrl+K (anywhere) focuses the global search box."""
    st.html(_SHORTCUT % {"key": SEARCH_BOX_KEY}, unsafe_allow_javascript=True)


def autofocus(container_key: str, opening: str) -> None:
    """Put the cursor in the first field of the container `container_key`, once per form `opening`, unless the user
    is already typing elsewhere; a form not shown (another tab) is left alone."""
    safe = "".join(c for c in f"{container_key}|{opening}" if c.isalnum() or c in "-_|")
    container, opening = safe.split("|", 1)
    st.html(_AUTOFOCUS % {"container": container, "opening": opening}, unsafe_allow_javascript=True)
