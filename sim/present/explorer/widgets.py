"""The widgets of one control: a slider (or a checkbox for an on/off key), a checkbox that sets
an optional key, and a note saying how the scenario states the value (a number, a
distribution at its mean, a path)."""

from __future__ import annotations

import html
from typing import Any

from bokeh.layouts import column
from bokeh.models import Checkbox, Div, Slider

from sim.present.explorer.controls import Control, Default, slider_value

#: after the label of a control whose parameter has a distribution in the preset (the note
#: under the slider starts "uncertain: <distribution>", the tooltip says how it moves)
UNCERTAIN_MARK = "\u00b1"


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
            self.slider = Slider(title=self.title(False), start=control.low,
                                 end=control.high, step=control.step, value=control.low,
                                 format=fmt, name=name, width=300, css_classes=css)
            self.slider.on_change("value", on_change)
        if control.kind == "optional":
            self.enabled = Checkbox(label=f"set {control.label.lower()} ({control.unset_means})",
                                    name=f"set:{control.key}")
            self.enabled.on_change("active", on_change)

    def title(self, uncertain: bool) -> str:
        """The slider's title: label, unit and, for a parameter the file gives a distribution,
        a mark that the slider moves its mean (the note and the tooltip say how)."""
        mark = f" {UNCERTAIN_MARK}" if uncertain else ""
        return f"{self.control.label}{mark} ({self.control.unit})"

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
            self.slider.title = self.title(d.uncertain)
            tip = (f"Uncertain in this preset: {d.note}. Moving the slider moves the "
                   "distribution's mean and keeps its spread (docs/explorer.md)"
                   if d.uncertain else d.note)
            self.slider.html_attributes = {"title": tip} if tip else {}
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
