"""Bar charts drawn as SVG on the server, for the reports pages: no script, no chart
library in the browser, nothing to download but the page. Python lays the chart out
(``bar_chart``: each bar's place, length and figure); the ``bar_chart`` macro of
templates/charts.html draws it, autoescaped like every page, as an ``<svg role="img">``
with its title and a one-line description a screen reader says. The page shows the same
figures as a table beside it. Colours and sizes are presentation attributes, not
``style``, so the portal's Content-Security-Policy (no inline styles) leaves them alone.

A bar may carry a part of itself (the overdue share of the open applications), drawn
darker over the bar from its start and counted after its total."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from services.common.india import grouped

# Each bar has its label on the line above it, so the bar may take the whole width and
# a phone's 360 px show the chart at a readable size (templates scale the viewBox to
# the column, at most 26rem: docs/portal.md "Charts").
WIDTH = 340
LABEL = 18          # height of the label's line
BAR = 16            # height of the bar under it
ROW = LABEL + BAR + 10
VALUE_WIDTH = 80    # the figure's room, right of the longest bar
MAX_LABEL = 48      # characters shown of a label (the table has it whole)
FILL, PART_FILL, TEXT = "#1d4ed8", "#b91c1c", "#111827"

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    part: int | None = None   # a share of ``value`` drawn over it (e.g. overdue)


@dataclass(frozen=True)
class PlacedBar:
    label: str        # as shown (cut to MAX_LABEL)
    full_label: str
    figure: str       # "1,23,456" or "12 (3 overdue)"
    label_y: int      # the label's baseline
    y: int            # the bar's top
    width: float
    part_width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    height: int
    bars: list[PlacedBar]
    width: int = WIDTH
    bar_height: int = BAR
    fill: str = FILL
    part_fill: str = PART_FILL
    text: str = TEXT


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def bar_chart(title: str, bars: list[Bar], *, description: str,
              part_name: str | None = None) -> Chart:
    """One horizontal bar per row, the largest figure the full length. ``part_name``
    names the darker share in each bar's figure ("12 (3 overdue)")."""
    room = WIDTH - VALUE_WIDTH
    top = max((b.value for b in bars), default=0) or 1
    placed = []
    for row, bar in enumerate(bars):
        figure = grouped(bar.value)
        if bar.part is not None and part_name:
            figure += f" ({grouped(bar.part)} {part_name})"
        placed.append(PlacedBar(
            label=_short(bar.label), full_label=bar.label, figure=figure,
            label_y=row * ROW + LABEL - 4, y=row * ROW + LABEL,
            width=round(room * bar.value / top, 1),
            part_width=round(room * (bar.part or 0) / top, 1)))
    return Chart(id=f"chart-{next(_ids)}", title=title, description=description,
                 height=max(len(bars), 1) * ROW, bars=placed)
