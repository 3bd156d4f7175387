"""Bar charts as inline SVG (no browser scripts; WeasyPrint prints them in the PDF).

The geometry is worked out here and drawn by templates in ``overstone/charts/``: the
charts are rectangles, lines and labels, so they cost a template render instead of a
plotting library (matplotlib took about a second to draw the two charts of a report, and
WeasyPrint most of another to lay out its SVG: text drawn as glyph paths).
"""

import itertools
import math
from dataclasses import dataclass

from django.template.loader import render_to_string

COLOURS = ["#1d3557", "#e76f51", "#2a9d8f", "#e9c46a", "#8d6a9f", "#f4a261", "#457b9d"]
SMALL = 5  # counts from 1 to SMALL - 1 are not drawn in anonymised charts

WIDTH = 640
FONT = 11  # px, ticks and labels
LEGEND_FONT = 9
LABEL_FONT = 10  # px, the horizontal chart's category labels
MAX_TICKS = 6


@dataclass(frozen=True)
class Tick:
    value: int
    at: float  # pixels along the axis


def _px(value: float) -> float:
    return round(value, 1)


def _svg(template: str, context: dict) -> str:
    return render_to_string(template, context).strip()


def _hide_small(values) -> list[int]:
    return [0 if 0 < value < SMALL else value for value in values]


def _ticks(top: int, length: float) -> tuple[list[Tick], float]:
    """Whole-number ticks from 0 to at least ``top``, fewer than MAX_TICKS of them, at a
    step of 1, 2 or 5 times a power of ten; and the pixels per unit."""
    for n in itertools.count():
        step = (1, 2, 5)[n % 3] * 10 ** (n // 3)
        if math.ceil(top / step) < MAX_TICKS:
            break
    end = max(math.ceil(top / step), 1) * step
    scale = length / end
    return [Tick(value, value * scale) for value in range(0, end + 1, step)], scale


def stacked_bars(labels: list[str], series: dict[str, list[int]], *, anonymise: bool) -> str:
    """Columns of stacked bars with a legend on the right; "" when there is nothing to draw."""
    if anonymise:
        series = {name: _hide_small(values) for name, values in series.items()}
    series = {name: list(values) for name, values in series.items() if any(values)}
    if not series:
        return ""
    # Room on the right for the legend's longest name (DejaVu Sans: about 0.58 em a letter).
    height, left, top, bottom = 256, 44, 10, 26
    right = round(max(len(name) for name in series) * LEGEND_FONT * 0.58) + 44
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    totals = [sum(column) for column in zip(*series.values(), strict=True)]
    ticks, scale = _ticks(max(totals), plot_height)
    slot = plot_width / len(labels)
    bars, legend = [], []
    stacked = [0] * len(labels)
    for number, (name, values) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        for column, value in enumerate(values):
            if value:
                bars.append(
                    {
                        "x": _px(left + column * slot + slot * 0.1),
                        "y": _px(top + plot_height - (stacked[column] + value) * scale),
                        "width": _px(slot * 0.8),
                        "height": _px(value * scale),
                        "colour": colour,
                    }
                )
            stacked[column] += value
        legend.append({"name": name, "colour": colour, "y": top + number * 16})
    return _svg(
        "overstone/charts/stacked_bars.svg",
        {
            "width": WIDTH,
            "height": height,
            "left": left,
            "top": top,
            "right_edge": left + plot_width,
            "baseline": top + plot_height,
            "tick_end": left - 4,
            "tick_label_x": left - 7,
            "ticks": [{"value": t.value, "y": _px(top + plot_height - t.at)} for t in ticks],
            "column_label_y": top + plot_height + 16,
            "columns": [
                {"label": label, "x": _px(left + column * slot + slot / 2)}
                for column, label in enumerate(labels)
            ],
            "bars": bars,
            "legend": legend,
            "legend_x": left + plot_width + 16,
            "legend_label_x": left + plot_width + 36,
            "font": FONT,
            "legend_font": LEGEND_FONT,
        },
    )


def horizontal_bars(labels: list[str], values: list[int], *, anonymise: bool) -> str:
    """One bar per label, the first at the top; "" when there is nothing to draw."""
    values = _hide_small(values) if anonymise else list(values)
    if not any(values):
        return ""
    # Room on the left for the longest label.
    row, right, top, bottom = 24, 20, 6, 26
    left = round(max(len(label) for label in labels) * LABEL_FONT * 0.58) + 14
    height = top + row * len(labels) + bottom
    plot_width = WIDTH - left - right
    ticks, scale = _ticks(max(values), plot_width)
    rows = [
        {
            "label": label,
            "value": value,
            "y": _px(top + number * row + row * 0.1),
            "middle": _px(top + number * row + row / 2),
            "width": _px(value * scale),
        }
        for number, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
    return _svg(
        "overstone/charts/horizontal_bars.svg",
        {
            "width": WIDTH,
            "height": height,
            "left": left,
            "top": top,
            "baseline": top + row * len(labels),
            "bar_height": _px(row * 0.8),
            "label_x": left - 7,
            "right_edge": _px(left + ticks[-1].at),
            "tick_end": top + row * len(labels) + 4,
            "tick_label_y": top + row * len(labels) + 16,
            "ticks": [{"value": t.value, "x": _px(left + t.at)} for t in ticks],
            "rows": rows,
            "colour": COLOURS[0],
            "font": FONT,
            "label_font": LABEL_FONT,
        },
    )
