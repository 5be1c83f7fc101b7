"""What the previous run of a page showed, for the write a click in this run makes.

A click reruns the page, which reads the record again: the version it reads then is not the one the user
looked at when clicking. A page remembers what it showed under a name each run, and a click acts on the
value kept by the run before (so a change saved by someone else in between is refused as stale).
"""

from typing import TypeVar

import streamlit as st

_KEY = "_liaison_shown"
T = TypeVar("T")


def shown_before(name: str, now: T) -> T:
    """What the previous run showed under `name` (what a click in this run acted on), else `now`;
    keeps `now` for the next run. Call it once per run for each name."""
    kept = st.session_state.setdefault(_KEY, {})
    before = kept.get(name, now)
    kept[name] = now
    return before
