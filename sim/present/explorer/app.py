"""The page: one Bokeh document per browser session (controls, charts, status, downloads).

A change of any control schedules a recompute after :data:`DEBOUNCE_MS` without further
changes; while a run is in flight, further changes are coalesced into one run after it (the
latest values win), so dragging a slider never queues a backlog. Each run's request is
validated here, on the server, by the scenario loader (:class:`~.request.Door`) before it is
sent to the worker (:class:`~.worker.Engine`); a refusal shows the loader's message in the
status line and leaves the charts as they were.
"""

from __future__ import annotations

import contextlib
import html
import logging
import secrets
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bokeh.document import Document
from bokeh.layouts import column, row
from bokeh.models import (
    Button,
    Checkbox,
    ColumnDataSource,
    Div,
    FactorRange,
    HoverTool,
    Select,
    Slider,
    TabPanel,
    Tabs,
    TextAreaInput,
    Whisker,
)
from bokeh.plotting import figure

from sim.errors import InputError
from sim.present.explorer import views
from sim.present.explorer.compute import HEADLINES, Result
from sim.present.explorer.controls import CONTROLS, Control, Default, defaults, groups, slider_value
from sim.present.explorer.request import MAX_DRAWS, Door, Request
from sim.present.explorer.worker import Engine
from sim.present.plot import DECOMPOSITION, PALETTE
from sim.scenario.parameters import stochastic_names

log = logging.getLogger(__name__)

#: quiet time after the last change before a recompute starts
DEBOUNCE_MS = 120
DRAW_CHOICES = ("100", "256", "500", "1000", "1024", "2048", "4096", "10000")
NO_COMPARISON = "(none)"
BAND_90, BAND_50 = 0.15, 0.32
FAN_SIZE = (470, 250)
KEY = (f"<span style='color:{PALETTE[0]}'>&#9644;</span> median, shaded 50 % and 90 % bands "
       "over draws &nbsp; <b>- - -</b> median of the comparison preset &nbsp; "
       f"<span style='color:{PALETTE[1]}'>&#9679;</span> published number of this preset "
       "&nbsp; &#9670; published number of the comparison (hover for the study, the "
       "model's number and the status)")
DOWNLOADS = (("scenario.yaml", "Download scenario (YAML)"), ("results.nc", "results (netCDF)"),
             ("results.csv", "statistics (CSV)"))


@dataclass
class Shared:
    """What every session of one server shares: the loader's door, the worker, the sessions
    (by download token) and the comparison runs."""

    door: Door
    engine: Engine
    sessions: dict[str, ExplorerSession] = field(default_factory=dict)
    comparisons: dict[str, Future[Result]] = field(default_factory=dict)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def css_class(key: str) -> str:
    """The CSS class of a control's widget (the browser tests find widgets by it)."""
    return "ctl-" + key.replace(".", "-").replace("_", "-")


class ControlWidgets:
    """The widgets of one :class:`Control`: a slider (or a checkbox), for an optional key a
    checkbox that sets it, and a note saying how the scenario states it."""

    def __init__(self, control: Control, on_change: Any) -> None:
        self.control = control
        self.note = Div(text="", styles={"font-size": "11px", "color": "#555",
                                         "margin-top": "-6px"}, width=300)
        self.enabled: Checkbox | None = None
        self.slider: Slider | None = None
        self.switch: Checkbox | None = None
        name = f"ctl:{control.key}"
        css = [css_class(control.key)]
        if control.kind == "switch":
            self.switch = Checkbox(label=f"{control.label}", name=name, width=300,
                                   css_classes=css)
            self.switch.on_change("active", on_change)
        else:
            fmt = "0" if control.unit == "year" else "0[.]0000"
            self.slider = Slider(title=f"{control.label} ({control.unit})", start=control.low,
                                 end=control.high, step=control.step, value=control.low,
                                 format=fmt, name=name, width=300, css_classes=css)
            self.slider.on_change("value", on_change)
        if control.kind == "optional":
            self.enabled = Checkbox(label=f"set {control.label.lower()} ({control.unset_means})",
                                    name=f"set:{control.key}")
            self.enabled.on_change("active", on_change)

    def layout(self) -> Any:
        parts = [p for p in (self.switch, self.enabled, self.slider, self.note) if p is not None]
        return column(*parts, spacing=2)

    def show_default(self, d: Default) -> None:
        """Put the widgets at the scenario's value."""
        if self.switch is not None:
            self.switch.active = bool(d.value)
        if self.slider is not None:
            self.slider.value = slider_value(self.control, d.value)
            self.slider.disabled = self.enabled is not None and d.value is None
        if self.enabled is not None:
            self.enabled.active = d.value is not None
        self.note.text = html.escape(d.note)

    def value(self) -> Any:
        """The value the widgets state (None: an optional key unset)."""
        if self.switch is not None:
            return bool(self.switch.active)
        assert self.slider is not None
        if self.enabled is not None and not self.enabled.active:
            return None
        return self.slider.value


class ExplorerSession:
    """One browser session's page and state."""

    def __init__(self, shared: Shared, doc: Document, preset: str | None = None) -> None:
        self.shared = shared
        self.doc = doc
        self.token = secrets.token_urlsafe(16)
        self.preset = preset or shared.door.presets.first
        self.defaults: dict[str, Default] = {}
        self.touched: set[str] = set()
        self.syncing = False
        self.timer: Any = None
        self.in_flight: Request | None = None
        self.dirty = False
        self.shown: Request | None = None
        self.result: Result | None = None
        self.compare: Result | None = None
        self.sources: dict[str, ColumnDataSource] = {}
        self._build()
        shared.sessions[self.token] = self
        doc.on_session_destroyed(self._destroyed)
        self._load_preset(self.preset)

    # ------------------------------------------------------------------ layout
    def _source(self, name: str, columns: list[str]) -> ColumnDataSource:
        src = ColumnDataSource({c: [] for c in columns}, name=f"src:{name}")
        self.sources[name] = src
        return src

    def _fan_figure(self, title: str, var: str, unit: str) -> Any:
        fig = figure(title=title, width=FAN_SIZE[0], height=FAN_SIZE[1], name=f"fan:{var}",
                     x_axis_label="year", y_axis_label=unit,
                     tools="pan,wheel_zoom,box_zoom,reset,save", toolbar_location="above")
        fig.toolbar.autohide = True
        src = self._source(f"fan:{var}", ["year", *views.BANDS])
        blue = PALETTE[0]
        fig.varea("year", "p05", "p95", source=src, fill_color=blue, fill_alpha=BAND_90)
        fig.varea("year", "p25", "p75", source=src, fill_color=blue, fill_alpha=BAND_50)
        fig.line("year", "p50", source=src, line_color=blue, line_width=2)
        cmp = self._source(f"compare:{var}", ["year", "p50"])
        fig.line("year", "p50", source=cmp, line_color="black", line_dash="dashed",
                 line_width=1.5)
        refs = self._source(f"refs:{var}", ["x", "published", "model", "label", "status",
                                            "source", "scenario"])
        cref = self._source(f"compare_refs:{var}", list(refs.data))
        marks = [fig.scatter("x", "published", source=refs, marker="circle", size=10,
                             color=PALETTE[1]),
                 fig.scatter("x", "published", source=cref, marker="diamond", size=12,
                             color="black")]
        fig.add_tools(HoverTool(renderers=marks, tooltips=[
            ("", "@scenario: @label"), ("published", "@published{0.000}"),
            ("model", "@model{0.000}"), ("", "@status"), ("source", "@source")]))
        return fig

    def _sector_figure(self) -> Any:
        src = self._source("sectors", ["name", "code", *views.BANDS])
        fig = figure(y_range=FactorRange(factors=[]), width=760, height=420, name="sectors",
                     x_axis_label="% vs no-AI baseline (median, bar: 90 % band)",
                     tools="save,reset", toolbar_location="above")
        fig.hbar(y="name", right="p50", height=0.7, source=src, color=PALETTE[0], alpha=0.8)
        fig.add_layout(Whisker(source=src, base="name", lower="p05", upper="p95",
                               dimension="width", line_color="black"))
        fig.add_tools(HoverTool(tooltips=[("", "@name"), ("median", "@p50{0.000}"),
                                          ("90 %", "@p05{0.000} to @p95{0.000}")]))
        self.sector_fig = fig
        return fig

    def _cohort_figure(self) -> Any:
        fig = figure(title="Employment by cohort, all sectors", width=760, height=380,
                     name="cohorts", x_axis_label="year", y_axis_label="% vs no-AI baseline",
                     tools="pan,wheel_zoom,reset,save", toolbar_location="above")
        for i, name in enumerate(("junior", "prime", "senior")):
            src = self._source(f"cohort:{i}", ["year", *views.BANDS])
            colour = PALETTE[i]
            fig.varea("year", "p25", "p75", source=src, fill_color=colour, fill_alpha=0.25)
            fig.line("year", "p50", source=src, line_color=colour, line_width=2,
                     legend_label=f"{name} (median, 50 % band)")
        fig.legend.location = "bottom_left"
        return fig

    def _decomposition_figure(self) -> Any:
        parts = [f"{n}{end}" for n, _ in DECOMPOSITION for end in ("", "_bottom", "_top")]
        src = self._source("decomposition", ["year", "gdp", *parts])
        fig = figure(title="Why GDP moves: parts of the GDP gain (means over draws)", width=760,
                     height=400, name="decomposition", x_axis_label="year",
                     y_axis_label="pp of GDP", tools="save,reset", toolbar_location="above")
        for i, (name, label) in enumerate(DECOMPOSITION):
            fig.vbar(x="year", bottom=f"{name}_bottom", top=f"{name}_top", width=0.8,
                     source=src, color=PALETTE[i], legend_label=label)
        fig.line("year", "gdp", source=src, color="black", line_width=2, legend_label="GDP gain")
        fig.scatter("year", "gdp", source=src, color="black", size=4)
        fig.legend.location = "top_left"
        fig.legend.label_text_font_size = "10px"
        return fig

    def _build(self) -> None:
        names = self.shared.door.presets.names
        self.preset_select = Select(title="Preset", options=names, value=self.preset,
                                    name="preset", width=300)
        self.preset_select.on_change("value", self._preset_changed)
        self.compare_select = Select(title="Compare with", options=[NO_COMPARISON, *names],
                                     value=NO_COMPARISON, name="compare", width=300)
        self.compare_select.on_change("value", self._compare_changed)
        self.uncertainty = Checkbox(label="Uncertainty (Monte Carlo draws)", active=True,
                                    name="uncertainty")
        self.uncertainty.on_change("active", self._on_change)
        self.draws = Select(title="Draws", options=list(DRAW_CHOICES), value="1024",
                            name="draws", width=140)
        self.draws.on_change("value", self._on_change)
        self.reset = Button(label="Reset to preset", name="reset", width=140)
        self.reset.on_click(lambda: self._load_preset(self.preset))
        self.widgets = {c.key: ControlWidgets(c, self._control_changed(c.key))
                        for c in CONTROLS}
        self.extra = TextAreaInput(title="Other scenario keys, one key=value a line "
                                   "(as aisim run --set)", rows=3, width=300, name="extra",
                                   placeholder="ai.cost_saving_growth=0.01")
        self.apply = Button(label="Apply keys", name="apply", width=140)
        self.apply.on_click(self._changed_now)
        self.status = Div(text="", name="status", width=960,
                          styles={"font-size": "12px", "white-space": "pre-wrap"})
        self.title = Div(text="", name="title", width=960)
        self.downloads = Div(text=self._download_links(), name="downloads", width=960)
        self.references = Div(text="", name="references", width=470)
        sections = [self.preset_select, self.compare_select,
                    row(self.draws, self.reset), self.uncertainty]
        for group, controls in groups():
            sections.append(Div(text=f"<b>{html.escape(group)}</b>", styles={
                "margin-top": "8px", "border-bottom": "1px solid #ccc", "width": "300px"}))
            sections += [self.widgets[c.key].layout() for c in controls]
        sections += [self.extra, self.apply]
        side = column(*sections, width=330, height=900, name="controls",
                      styles={"overflow-y": "auto", "overflow-x": "hidden"})
        fans = [self._fan_figure(t, v, u) for t, v, u in HEADLINES]
        key = Div(text=KEY, name="key", width=960, styles={"font-size": "12px"})
        grid = column(key, row(fans[0], fans[1]), row(fans[2], fans[3]), row(fans[4],
                                                                        self.references))
        self.sector_var = Select(title="Sector variable", name="sector_var", width=220,
                                 options=views.sector_choices(), value="sector_tfp_gain_pct")
        self.sector_year = Slider(title="Year", start=2025, end=2050, step=1, value=2035,
                                  name="sector_year", width=300)
        self.sector_var.on_change("value", self._sector_changed)
        self.sector_year.on_change("value", self._sector_changed)
        tabs = Tabs(name="views", tabs=[
            TabPanel(title="Headlines", child=grid),
            TabPanel(title="Sectors", child=column(row(self.sector_var, self.sector_year),
                                                   self._sector_figure())),
            TabPanel(title="Cohorts", child=self._cohort_figure()),
            TabPanel(title="Why GDP moves", child=self._decomposition_figure()),
        ])
        main = column(self.title, self.status, self.downloads, tabs)
        self.doc.add_root(row(side, main, name="page"))
        self.doc.title = "aisim explore"

    def _download_links(self) -> str:
        style = ("display:inline-block;margin-right:8px;padding:3px 10px;border:1px solid "
                 "#0072B2;border-radius:4px;color:#0072B2;text-decoration:none;font-size:12px")
        return "".join(f'<a id="dl-{k.split(".")[1]}" style="{style}" '
                       f'href="/download/{self.token}/{k}" download>{label}</a>'
                       for k, label in DOWNLOADS)

    # ------------------------------------------------------------------ state
    def _destroyed(self, _context: Any) -> None:
        self.shared.sessions.pop(self.token, None)

    def _load_preset(self, name: str) -> None:
        """Show a preset: every control at its value, free keys cleared, then a run."""
        door = self.shared.door
        try:
            base = door.base(name)
        except InputError as exc:
            self._show_error(exc)
            return
        self.preset = name
        self.defaults = defaults(base)
        self.touched.clear()
        self.syncing = True
        try:
            for key, d in self.defaults.items():
                self.widgets[key].show_default(d)
            mc = base.scenario.monte_carlo
            uncertain = mc.draws > 1 and bool(stochastic_names(base.scenario))
            self.uncertainty.active = uncertain
            draws = str(min(mc.draws, MAX_DRAWS)) if mc.draws > 1 else "1000"
            if draws not in self.draws.options:
                self.draws.options = sorted({*self.draws.options, draws}, key=int)
            self.draws.value = draws
            self.extra.value = ""
            if self.preset_select.value != name:
                self.preset_select.value = name
            self.sector_year.start = base.scenario.horizon.start
            self.sector_year.end = base.scenario.horizon.end
            self.sector_year.value = min(max(self.sector_year.value, self.sector_year.start),
                                         self.sector_year.end)
        finally:
            self.syncing = False
        scn = base.scenario
        self.title.text = (f"<b style='font-size:16px'>aisim explore: {html.escape(scn.name)}"
                           f"</b> <span style='color:#555'>{html.escape(scn.description)}"
                           "</span>")
        self._changed_now()

    def request(self) -> Request:
        """The request the widgets state: moved controls, free keys, draws, uncertainty."""
        values = {key: self.widgets[key].value() for key in sorted(self.touched)}
        extra = [line for line in (self.extra.value or "").splitlines() if line.strip()]
        try:
            draws: Any = int(self.draws.value)
        except (TypeError, ValueError):
            draws = self.draws.value
        return Request.make(self.preset, values, extra, draws, bool(self.uncertainty.active))

    # ------------------------------------------------------------------ callbacks
    def _control_changed(self, key: str) -> Any:
        def changed(_attr: str, _old: Any, _new: Any) -> None:
            if self.syncing:
                return
            widgets = self.widgets[key]
            if widgets.enabled is not None and widgets.slider is not None:
                widgets.slider.disabled = not widgets.enabled.active
            self.touched.add(key)
            widgets.note.text = html.escape(self._note(key))
            self._changed()

        return changed

    def _note(self, key: str) -> str:
        value = self.widgets[key].value()
        file = self.defaults[key]
        stated = file.note or f"file: {file.value}"
        now = "unset" if value is None else (
            str(value) if isinstance(value, bool) else _fmt(value))
        return f"set to {now} in every draw ({stated})"

    def _on_change(self, _attr: str, _old: Any, _new: Any) -> None:
        self._changed()

    def _changed(self) -> None:
        """Schedule a run :data:`DEBOUNCE_MS` after the last change."""
        if self.syncing:
            return
        if self.timer is not None:
            with contextlib.suppress(ValueError):  # it already ran
                self.doc.remove_timeout_callback(self.timer)
        self.timer = self.doc.add_timeout_callback(self._fire, DEBOUNCE_MS)

    def _changed_now(self) -> None:
        self._fire()

    def _fire(self) -> None:
        self.timer = None
        if self.in_flight is not None:
            self.dirty = True
            return
        self._submit()

    def _submit(self) -> None:
        request = self.request()
        door = self.shared.door
        try:
            overrides = door.overrides(request)
            door.load(request)
        except InputError as exc:
            self._show_error(exc)
            return
        except Exception as exc:  # never a traceback in the page
            log.exception("explorer: refused a request")
            self._show_error(f"internal error: {type(exc).__name__}: {exc}")
            return
        self.in_flight = request
        self.status.text = self._status_text("computing ...")
        future = self.shared.engine.result(door.path(request.preset), overrides, request.key)
        future.add_done_callback(
            lambda f: self.doc.add_next_tick_callback(partial(self._done, request, f)))

    def _done(self, request: Request, future: Future[Result]) -> None:
        self.in_flight = None
        try:
            result = future.result()
        except InputError as exc:
            self._show_error(exc)
        except Exception as exc:
            log.exception("explorer: a run failed")
            self._show_error(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.shown, self.result = request, result
            self._redraw()
        if self.dirty:
            self.dirty = False
            self._submit()

    def _preset_changed(self, _attr: str, _old: Any, new: Any) -> None:
        if not self.syncing and new != self.preset:
            self._load_preset(new)

    def _compare_changed(self, _attr: str, _old: Any, new: Any) -> None:
        if new == NO_COMPARISON:
            self.compare = None
            self._redraw()
            return
        shared, door = self.shared, self.shared.door
        try:
            base = door.base(new)
            mc = base.scenario.monte_carlo
            request = Request.make(new, draws=min(mc.draws, MAX_DRAWS),
                                   uncertainty=mc.draws > 1)
            overrides = door.overrides(request)
        except InputError as exc:
            self._show_error(exc)
            return
        if new not in shared.comparisons:
            shared.comparisons[new] = shared.engine.result(door.path(new), overrides,
                                                           request.key)
        shared.comparisons[new].add_done_callback(
            lambda f: self.doc.add_next_tick_callback(partial(self._compare_done, new, f)))

    def _compare_done(self, name: str, future: Future[Result]) -> None:
        if self.compare_select.value != name:
            return
        try:
            self.compare = future.result()
        except Exception as exc:  # a preset that fails to run: say so, keep the page
            self.shared.comparisons.pop(name, None)
            self._show_error(exc if isinstance(exc, InputError) else
                             f"comparison {name}: {type(exc).__name__}: {exc}")
            return
        self._redraw()

    def _sector_changed(self, _attr: str, _old: Any, _new: Any) -> None:
        if self.result is not None:
            self.sources["sectors"].data = views.sectors(self.result, self.sector_var.value,
                                                         int(self.sector_year.value))
            self.sector_fig.y_range.factors = list(self.sources["sectors"].data["name"])

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        if self.result is None:
            return
        data = views.all_sources(self.result, self.compare, int(self.sector_year.value),
                                 self.sector_var.value)
        for name, columns in data.items():
            self.sources[name].data = columns
        self.sector_fig.y_range.factors = list(data["sectors"]["name"])
        self.sector_fig.title.text = (f"{dict(views.sector_choices())[self.sector_var.value]}"
                                      f" by sector in {int(self.sector_year.value)}")
        self.references.text = self._reference_table()
        self.status.text = self._status_text()

    def _status_text(self, state: str = "") -> str:
        r = self.result
        if r is None:
            return html.escape(state)
        shown = self.shown
        sets = self.shared.door.overrides(shown) if shown is not None else []
        sets = [s for s in sets if not s.startswith("monte_carlo.draws=")]
        text = (f"{r.draws:,} draw(s), seed {r.seed}, {r.sampler}: computed in "
                f"{r.seconds:.2f} s. " + (f"Changed: {'; '.join(sets)}" if sets else
                                          "The preset as published."))
        if state:
            text = f"{state} (showing: {text})"
        return html.escape(text)

    def _show_error(self, exc: InputError | str | BaseException) -> None:
        text = str(exc)
        self.status.text = ("<span style='color:#D55E00' class='refused'>Refused, nothing "
                            "computed:\n" + html.escape(text) + "</span>")

    def _reference_table(self) -> str:
        marks = [(self.result, m) for m in (self.result.references if self.result else [])]
        if self.compare is not None:
            marks += [(self.compare, m) for m in self.compare.references]
        if not marks:
            return ("<i style='color:#555;font-size:12px'>No published reference numbers in "
                    "this preset; pick one under Compare with (scenarios/published).</i>")
        rows = "".join(
            f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(m.label)}</td>"
            f"<td>{m.stated_published:.4g}</td><td>{m.stated_model:.4g}</td><td>{html.escape(m.status)}</td>"
            "</tr>" for r, m in marks)
        return ("<table style='font-size:11px;border-collapse:collapse' cellpadding=2>"
                "<tr><th>scenario</th><th>reference</th><th>published</th><th>model</th>"
                f"<th>status</th></tr>{rows}</table>")
