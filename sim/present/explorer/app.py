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
from bokeh.models import Button, Checkbox, Div, Select, Slider, TabPanel, Tabs, TextAreaInput

from sim.errors import InputError
from sim.present.explorer import figures, views
from sim.present.explorer.compute import HEADLINES, Result
from sim.present.explorer.controls import BY_KEY, CONTROLS, Default, groups
from sim.present.explorer.request import MAX_DRAWS, Door, Request, control_line
from sim.present.explorer.widgets import ControlWidgets
from sim.present.explorer.worker import Engine
from sim.scenario.parameters import is_distribution, stochastic_names

log = logging.getLogger(__name__)

#: quiet time after the last change before a recompute starts
DEBOUNCE_MS = 50
DRAW_CHOICES = ("100", "256", "500", "1000", "1024", "2048", "4096", "10000")
NO_COMPARISON = "(none)"
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
        self.sources: figures.Sources = {}
        self._build()
        shared.sessions[self.token] = self
        doc.on_session_destroyed(self._destroyed)
        self._load_preset(self.preset)

    # ------------------------------------------------------------------ layout
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
        self.sector_fig = figures.sector_figure(self.sources)
        fans = [figures.fan_figure(self.sources, t, v, u) for t, v, u in HEADLINES]
        key = Div(text=figures.KEY, name="key", width=960, styles={"font-size": "12px"})
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
                                                   self.sector_fig)),
            TabPanel(title="Cohorts", child=figures.cohort_figure(self.sources)),
            TabPanel(title="Why GDP moves", child=figures.decomposition_figure(self.sources)),
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
        self.defaults = door.defaults(name)
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
        """What the moved control does, in words (the same rule as the ``--set`` line)."""
        file = self.defaults[key]
        start = self.shared.door.base(self.preset).scenario.horizon.start
        _, _, text = control_line(BY_KEY[key], self.widgets[key].value(), file, start)
        stated = (file.stated.describe() if file.uncertain and is_distribution(file.stated)
                  else file.note or file.value)
        return f"{text} (file: {stated})"

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
            self._show_sectors(views.sectors(self.result, self.sector_var.value,
                                             int(self.sector_year.value)))

    def _show_sectors(self, columns: views.Columns) -> None:
        self.sources["sectors"].data = columns
        fig = self.sector_fig
        fig.y_range.factors = list(columns["name"])
        fig.x_range.start, fig.x_range.end = views.extent(columns)
        fig.title.text = (f"{dict(views.sector_choices())[self.sector_var.value]} by sector in "
                          f"{int(self.sector_year.value)}")

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        if self.result is None:
            return
        data = views.all_sources(self.result, self.compare, int(self.sector_year.value),
                                 self.sector_var.value)
        for name, columns in data.items():
            if name != "sectors":
                self.sources[name].data = columns
        self._show_sectors(data["sectors"])
        self.references.text = figures.reference_table(self.result, self.compare)
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
