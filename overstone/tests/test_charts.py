import re

from overstone import charts


def bars(svg: str) -> list[dict]:
    return [
        dict(re.findall(r'(\w+)="([^"]*)"', rect))
        for rect in re.findall(r"<rect ([^>]*)/>", svg)
        if 'width="14"' not in rect  # legend swatches
    ]


def test_nothing_to_draw_is_no_chart():
    assert charts.stacked_bars(["Sep", "Oct"], {"Gambling": [0, 0]}, anonymise=False) == ""
    assert charts.stacked_bars(["Sep", "Oct"], {"Gambling": [3, 4]}, anonymise=True) == ""
    assert charts.horizontal_bars(["Gambling"], [2], anonymise=True) == ""


def test_stacked_bars_stack_each_month_and_name_each_series():
    svg = charts.stacked_bars(
        ["Sep", "Oct"], {"Gambling": [10, 0], "Hate material": [30, 20]}, anonymise=False
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Gambling" in svg and "Hate material" in svg and ">Sep<" in svg and ">Oct<" in svg
    drawn = bars(svg)
    assert len(drawn) == 3  # no bar for a count of 0
    heights = sorted(float(bar["height"]) for bar in drawn)
    assert heights[0] * 2 == heights[1] and heights[0] * 3 == heights[2]
    # September's two bars touch: the second starts where the first ends.
    september = sorted((bar for bar in drawn if bar["x"] == drawn[0]["x"]), key=lambda b: b["y"])
    assert float(september[0]["y"]) + float(september[0]["height"]) == float(september[1]["y"])


def test_anonymised_charts_leave_out_counts_below_five():
    svg = charts.horizontal_bars(["Gambling", "Hate material", "Adult content"], [4, 5, 12],
                                 anonymise=True)  # fmt: skip
    widths = [float(bar["width"]) for bar in bars(svg)]
    assert len(widths) == 2 and widths[1] / widths[0] == 12 / 5
    assert "Gambling" in svg  # the label stays; its bar is not drawn
    assert len(bars(charts.horizontal_bars(["Gambling"], [4], anonymise=False))) == 1


def test_ticks_are_whole_numbers_at_a_round_step():
    ticks, _ = charts._ticks(1_372, 200)
    assert [tick.value for tick in ticks] == [0, 500, 1000, 1500]
    ticks, _ = charts._ticks(3, 200)
    assert [tick.value for tick in ticks] == [0, 1, 2, 3]
