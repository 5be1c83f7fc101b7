"""Plotly figures that are built once and drawn on every rerun (kept by `crm.store.cache`).

`st.plotly_chart` calls `figure.to_dict()` on every run, and plotly's `to_dict` deep-copies the whole
figure: a few milliseconds for a map of a thousand markers or a timeline of two hundred items, paid
again on each click of any widget on the page (issue 8's benchmark). A `KeptFigure` computes that dict
once, on the first draw, and hands out the same dict afterwards.
"""

import plotly.graph_objects as go

PARTNERSHIP_KIND_COLORS = {"sister": "#c0392b", "partner": "#2471a3", "friendship": "#1e8449"}  # map and dashboard


class KeptFigure(go.Figure):
    """A `go.Figure` whose `to_dict()` is computed once. Don't change it after it was first drawn."""

    def to_dict(self) -> dict:
        kept = self.__dict__.get("_kept_dict")
        if kept is None:
            kept = self._kept_dict = super().to_dict()
        return kept


__all__ = ["PARTNERSHIP_KIND_COLORS", "KeptFigure"]
