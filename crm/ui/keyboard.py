"""Keyboard help the browser needs a few lines of script for:

- "/" (outside a text box) or Ctrl+K puts the cursor in the global search box;
- Tab moves over a date as one stop (its year, month and day are typed in one go; the arrow keys move between them);
- a link in a form's list of refused fields moves the cursor to that field;
- a form's first field has the cursor when the form opens.

Each script is fixed text (no user text, nothing fetched; what differs per form is in a data attribute beside it, so
the CSP allows the scripts by hash), drawn with `st.html` as the drafts' leave guard is (crm.ui.form_drafts)."""

import re
from collections.abc import Sequence

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
  var FOCUSABLE = 'input:not([type=hidden]):not([disabled]), textarea, select, button:not([disabled]), ' +
    'a[href], [tabindex]:not([tabindex="-1"])';
  function dateOf(element) {
    return element && element.closest ? element.closest('[data-testid="stDateInput"]') : null;
  }
  w.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
    var here = dateOf(w.document.activeElement);
    if (!here) return;
    var all = Array.prototype.filter.call(w.document.querySelectorAll(FOCUSABLE), function (e) {
      return e.tabIndex >= 0 && e.getClientRects().length > 0;
    });
    var at = all.indexOf(w.document.activeElement), step = event.shiftKey ? -1 : 1, next = null;
    for (var i = at + step; i >= 0 && i < all.length; i += step) {
      if (!here.contains(all[i])) { next = all[i]; break; }
    }
    if (!next) return;
    var other = dateOf(next);
    if (other) next = other.querySelector('[role="spinbutton"]') || next;
    event.preventDefault();
    event.stopImmediatePropagation();
    next.focus();
  }, true);
  w.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[href^="#field-"]') : null;
    if (!link) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var key = link.getAttribute("href").slice(7);
    var field = w.document.querySelector(".st-key-" + w.CSS.escape(key)) ||
      w.document.querySelector('[class*="st-key-' + key.replace(/[^A-Za-z0-9_-]/g, "") + '"]');
    if (!field) return;
    field.scrollIntoView({block: "center"});
    var input = field.querySelector("input, textarea, [tabindex]");
    if (input) input.focus();
  }, true);
})();
</script>"""

_AUTOFOCUS = """<div class="liaison-autofocus" data-container="%(container)s" data-opening="%(opening)s" \
data-required="%(required)s"></div>
<script>
(function () {
  var w = window, tries = 0;
  var spots = w.document.querySelectorAll(".liaison-autofocus");
  var spot = spots[spots.length - 1];
  if (!spot) return;
  var opening = spot.getAttribute("data-opening"), container = spot.getAttribute("data-container");
  var required = (spot.getAttribute("data-required") || "").split(" ").filter(Boolean);
  function mark() {
    required.forEach(function (key) {
      var box = w.document.querySelector(".st-key-" + key);
      var input = box && box.querySelector("input, textarea");
      if (input) input.setAttribute("aria-required", "true");
    });
  }
  w.setTimeout(mark, 100);
  w.setTimeout(mark, 1000);
  if (w.__liaisonFocused === opening) return;
  function focus() {
    var form = w.document.querySelector(".st-key-" + container);
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


_REQUIRED = """<style>
%(selectors)s { content: " *"; color: #c0392b; font-weight: 600; }
</style>"""


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in "-_")


def mark_required(keys: list[str]) -> None:
    """Mark the labels of these widgets' fields with a red " *" (CSS only: the label's text, which is the field's
    accessible name, stays as it is; the autofocus script tells assistive technology with `aria-required`)."""
    if keys:
        selectors = ",\n".join(f'.st-key-{_safe(k)} [data-testid="stWidgetLabel"] p::after' for k in keys)
        st.html(_REQUIRED % {"selectors": selectors})


def search_shortcut() -> None:
    """"/" (outside a text box) or Ctrl+K (anywhere) focuses the global search box."""
    st.html(_SHORTCUT % {"key": SEARCH_BOX_KEY}, unsafe_allow_javascript=True)


def autofocus(container_key: str, opening: str, required: Sequence[str] = ()) -> None:
    """Put the cursor in the first field of the container `container_key`, once per form `opening`, unless the user
    is already typing elsewhere (a form not shown, in another tab, is left alone); the `required` widgets' inputs
    are marked `aria-required`."""
    keys = " ".join(_safe(k) for k in required)
    st.html(_AUTOFOCUS % {"container": _safe(container_key), "opening": _safe(opening), "required": keys},
            unsafe_allow_javascript=True)


def fixed_scripts() -> list[str]:
    """The text of every inline script this module draws: fixed whatever the form (the CSP allows them by hash)."""
    drawn = [_SHORTCUT % {"key": SEARCH_BOX_KEY}, _AUTOFOCUS % {"container": "", "opening": "", "required": ""}]
    return [script for html in drawn for script in re.findall(r"<script>(.*?)</script>", html, re.S)]
