"""Horizontal bar charts drawn on the server as SVG geometry (no JavaScript needed).

The template `public/_bar_chart.html` draws the bars; each chart sits beside a table with the
same numbers, so the chart is a reading aid and the table the accessible source.
"""

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 170
BAR_AREA = 360
VALUE_WIDTH = 110
ROW_HEIGHT = 26
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + BAR_AREA + 8

    @property
    def bar_x(self) -> int:
        return self.label_width


def bar_chart(title: str, rows: list[tuple[str, Decimal | int, str]]) -> BarChart:
    """`rows` are (label, value, value as displayed); bars scale to the largest value."""
    largest = max((Decimal(value) for _label, value, _display in rows), default=Decimal(0))
    bars = []
    for index, (label, value, display) in enumerate(rows):
        width = int(Decimal(value) * BAR_AREA / largest) if largest > 0 else 0
        y = index * ROW_HEIGHT + 4
        bars.append(
            Bar(
                label=label[:28],
                display=display,
                y=y,
                width=max(width, 1 if value else 0),
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    return BarChart(
        title=title,
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT + 8,
    )
