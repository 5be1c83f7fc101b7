"""KeptFigure: a figure's dict computed once, the same as plotly's own."""

import plotly.graph_objects as go

from crm.views.charts import KeptFigure


def test_a_kept_figure_hands_out_one_dict_equal_to_plotlys():
    def build(fig):
        fig.add_trace(go.Scatter(x=[1, 2], y=[3, 4], customdata=[["visits", 1], ["visits", 2]]))
        fig.update_layout(height=300)
        return fig

    kept, plain = build(KeptFigure()), build(go.Figure())
    first = kept.to_dict()
    assert first == plain.to_dict()
    assert kept.to_dict() is first  # not deep-copied again at each draw
    assert plain.to_dict() is not plain.to_dict()
