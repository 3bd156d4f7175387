"""Charts as inline SVG, drawn with matplotlib (no browser scripts, prints in the PDF)."""

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

COLOURS = ["#1d3557", "#e76f51", "#2a9d8f", "#e9c46a", "#8d6a9f", "#f4a261", "#457b9d"]
SMALL = 5  # counts from 1 to SMALL - 1 are not drawn in anonymised charts


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _hide_small(values: list[int]) -> list[int]:
    return [0 if 0 < value < SMALL else value for value in values]


# Drawing takes matplotlib most of a second; the same figures give the same SVG, so each
# process keeps the last few (the dashboard asks for the same chart on every visit).
CACHED_CHARTS = 32


def stacked_bars(labels: list[str], series: dict[str, list[int]], *, anonymise: bool) -> str:
    """An SVG chart, or "" when there is nothing to draw."""
    frozen = tuple((name, tuple(values)) for name, values in series.items())
    return _stacked_bars(tuple(labels), frozen, anonymise)


@lru_cache(maxsize=CACHED_CHARTS)
def _stacked_bars(labels: tuple, frozen: tuple, anonymise: bool) -> str:
    series = {name: list(values) for name, values in frozen}
    if anonymise:
        series = {name: _hide_small(values) for name, values in series.items()}
    series = {name: values for name, values in series.items() if any(values)}
    if not series:
        return ""
    figure, axes = plt.subplots(figsize=(8, 3.2))
    bottom = [0] * len(labels)
    for colour, (name, values) in zip(COLOURS * 3, series.items(), strict=False):
        axes.bar(labels, values, bottom=bottom, label=name, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(figure)


def horizontal_bars(labels: list[str], values: list[int], *, anonymise: bool) -> str:
    """An SVG chart, or "" when there is nothing to draw."""
    return _horizontal_bars(tuple(labels), tuple(values), anonymise)


@lru_cache(maxsize=CACHED_CHARTS)
def _horizontal_bars(labels: tuple, values: tuple, anonymise: bool) -> str:
    values = _hide_small(values) if anonymise else values
    if not any(values):
        return ""
    figure, axes = plt.subplots(figsize=(8, 0.3 * len(labels) + 0.6))
    axes.barh(labels[::-1], values[::-1], color=COLOURS[0])
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="y", labelsize=8)
    return _svg(figure)
