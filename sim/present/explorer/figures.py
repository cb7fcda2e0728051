"""The page's charts (Bokeh figures) and the reference table; each figure reads its data from
named column data sources, which :class:`~sim.present.explorer.app.ExplorerSession` refills
after every run (the columns come from :mod:`sim.present.explorer.views`)."""

from __future__ import annotations

import html
from typing import Any

from bokeh.models import ColumnDataSource, FactorRange, HoverTool, Range1d, Whisker
from bokeh.plotting import figure

from sim.present.explorer import views
from sim.present.explorer.compute import Result
from sim.present.plot import DECOMPOSITION, PALETTE

Sources = dict[str, ColumnDataSource]
BAND_90, BAND_50 = 0.15, 0.32
FAN_SIZE = (470, 250)
#: the key above the fan charts
KEY = (f"<span style='color:{PALETTE[0]}'>&#9644;</span> median, shaded 50 % and 90 % bands "
       "over draws &nbsp; <b>- - -</b> median of the comparison preset &nbsp; "
       f"<span style='color:{PALETTE[1]}'>&#9679;</span> published number of this preset "
       "&nbsp; &#9670; published number of the comparison (hover for the study, the "
       "model's number and the status)")


def source(sources: Sources, name: str, columns: list[str]) -> ColumnDataSource:
    """A new empty data source, registered under ``name`` (its model name: ``src:<name>``)."""
    src = ColumnDataSource({c: [] for c in columns}, name=f"src:{name}")
    sources[name] = src
    return src


def fan_figure(sources: Sources, title: str, var: str, unit: str) -> Any:
    """A fan chart of an economy-wide variable: bands, median, comparison, published marks."""
    fig = figure(title=title, width=FAN_SIZE[0], height=FAN_SIZE[1], name=f"fan:{var}",
                 x_axis_label="year", y_axis_label=unit,
                 tools="pan,wheel_zoom,box_zoom,reset,save", toolbar_location="above")
    fig.toolbar.autohide = True
    src = source(sources, f"fan:{var}", ["year", *views.BANDS])
    blue = PALETTE[0]
    fig.varea("year", "p05", "p95", source=src, fill_color=blue, fill_alpha=BAND_90)
    fig.varea("year", "p25", "p75", source=src, fill_color=blue, fill_alpha=BAND_50)
    fig.line("year", "p50", source=src, line_color=blue, line_width=2)
    cmp = source(sources, f"compare:{var}", ["year", "p50"])
    fig.line("year", "p50", source=cmp, line_color="black", line_dash="dashed",
             line_width=1.5)
    refs = source(sources, f"refs:{var}", ["x", "published", "model", "label", "status",
                                           "source", "scenario"])
    cref = source(sources, f"compare_refs:{var}", list(refs.data))
    marks = [fig.scatter("x", "published", source=refs, marker="circle", size=10,
                         color=PALETTE[1]),
             fig.scatter("x", "published", source=cref, marker="diamond", size=12,
                         color="black")]
    fig.add_tools(HoverTool(renderers=marks, tooltips=[
        ("", "@scenario: @label"), ("published", "@published{0.000}"),
        ("model", "@model{0.000}"), ("", "@status"), ("source", "@source")]))
    return fig


def sector_figure(sources: Sources) -> Any:
    """Gains by sector in one year: bars at the median, whiskers over the 90 % band."""
    src = source(sources, "sectors", ["name", "code", *views.BANDS])
    fig = figure(y_range=FactorRange(factors=[]), x_range=Range1d(-1, 1), width=760,
                 height=420, name="sectors",
                 x_axis_label="log points vs no-AI baseline (median, bar: 90 % band)",
                 tools="save,reset", toolbar_location="above")
    fig.hbar(y="name", right="p50", height=0.7, source=src, color=PALETTE[0], alpha=0.8)
    fig.add_layout(Whisker(source=src, base="name", lower="p05", upper="p95",
                           dimension="width", line_color="black"))
    fig.add_tools(HoverTool(tooltips=[("", "@name"), ("median", "@p50{0.000}"),
                                      ("90 %", "@p05{0.000} to @p95{0.000}")]))
    return fig


def cohort_figure(sources: Sources) -> Any:
    """Employment by cohort, all sectors: median and 50 % band per cohort."""
    fig = figure(title="Employment by cohort, all sectors", width=760, height=380,
                 name="cohorts", x_axis_label="year", y_axis_label="log points vs no-AI baseline",
                 tools="pan,wheel_zoom,reset,save", toolbar_location="above")
    dashes = ("solid", "solid", "dashed")
    for i, name in enumerate(("junior", "prime", "senior")):
        src = source(sources, f"cohort:{i}", ["year", *views.BANDS])
        colour = PALETTE[i]
        fig.varea("year", "p25", "p75", source=src, fill_color=colour, fill_alpha=0.25)
        fig.line("year", "p50", source=src, line_color=colour, line_width=2.5,
                 line_dash=dashes[i], legend_label=f"{name} (median, 50 % band)")
    fig.legend.location = "bottom_left"
    return fig


def decomposition_figure(sources: Sources) -> Any:
    """Why GDP moves: the parts of the GDP gain stacked by year, the gain as a line."""
    parts = [f"{n}{end}" for n, _ in DECOMPOSITION for end in ("", "_bottom", "_top")]
    src = source(sources, "decomposition", ["year", "gdp", *parts])
    fig = figure(title="Why GDP moves: parts of the GDP gain (means over draws)", width=760,
                 height=400, name="decomposition", x_axis_label="year",
                 y_axis_label="log points of GDP", tools="save,reset", toolbar_location="above")
    for i, (name, label) in enumerate(DECOMPOSITION):
        fig.vbar(x="year", bottom=f"{name}_bottom", top=f"{name}_top", width=0.8,
                 source=src, color=PALETTE[i], legend_label=label)
    fig.line("year", "gdp", source=src, color="black", line_width=2, legend_label="GDP gain")
    fig.scatter("year", "gdp", source=src, color="black", size=4)
    cmp = source(sources, "compare:decomposition", ["year", "gdp"])
    fig.line("year", "gdp", source=cmp, color="black", line_dash="dashed", line_width=1.5,
             legend_label="GDP gain of the comparison preset")
    fig.legend.location = "top_left"
    fig.legend.label_text_font_size = "10px"
    return fig


def reference_table(result: Result | None, compare: Result | None) -> str:
    """The published numbers of the preset and of the comparison, with the model's."""
    marks = [(r, m) for r in (result, compare) if r is not None for m in r.references]
    if not marks:
        return ("<i style='color:#555;font-size:12px'>No published reference numbers in "
                "this preset; pick one under Compare with (scenarios/published).</i>")
    rows = "".join(
        f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(m.label)}</td>"
        f"<td>{m.stated_published:.4g}</td><td>{m.stated_model:.4g}</td>"
        f"<td>{html.escape(m.status)}</td>"
        "</tr>" for r, m in marks)
    return ("<table style='font-size:11px;border-collapse:collapse' cellpadding=2>"
            "<tr><th>scenario</th><th>reference</th><th>published</th><th>model</th>"
            f"<th>status</th></tr>{rows}</table>")
