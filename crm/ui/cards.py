"""Figure cards for the dashboard, drawn as one HTML block (one element instead of ten metrics in columns).

Streamlit-free: returns the HTML that the page hands to `st.html`. Every text is escaped.
"""

from dataclasses import dataclass
from html import escape

STYLE = """<style>
.lz-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.75rem;margin:.25rem 0 .5rem}
.lz-card{border:1px solid rgba(128,128,128,.3);border-radius:.5rem;padding:.75rem 1rem;min-width:0}
.lz-label{font-size:.875rem;line-height:1.3;opacity:.85}
.lz-value{font-size:2.25rem;line-height:1.2;margin:.15rem 0 .3rem}
.lz-delta{display:inline-block;font-size:.8rem;line-height:1.5;border-radius:1rem;padding:0 .45rem;margin-left:.5rem;
vertical-align:middle}
.lz-up{color:#177233;background:rgba(33,195,84,.12)}.lz-down{color:#b42318;background:rgba(255,43,43,.1)}
.lz-note{font-size:.8rem;opacity:.7;line-height:1.35}
</style>"""


@dataclass(frozen=True)
class Card:
    label: str
    value: int
    delta: int  # against the previous period (0: no change, no chip)
    note: str  # the comparisons in words ("previous 82 · last year 70")


def cards_html(cards: list[Card], *, delta_label: str = "") -> str:
    """A responsive grid of cards (as many per row as fit, five on a desktop screen)."""
    parts = [STYLE, '<div class="lz-cards">']
    for card in cards:
        chip = ""
        if card.delta:
            arrow, tone = ("↑", "lz-up") if card.delta > 0 else ("↓", "lz-down")
            title = f' title="{escape(delta_label)}"' if delta_label else ""
            chip = f'<span class="lz-delta {tone}"{title}>{arrow} {abs(card.delta):,}</span>'
        parts.append(f'<div class="lz-card" role="group" aria-label="{escape(card.label)}">'
                     f'<div class="lz-label">{escape(card.label)}</div>'
                     f'<div class="lz-value"><span class="lz-number">{card.value:,}</span>{chip}</div>'
                     f'<div class="lz-note">{escape(card.note)}</div></div>')
    parts.append("</div>")
    return "".join(parts)


__all__ = ["Card", "cards_html"]
