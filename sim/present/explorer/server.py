"""The explorer's web server: a Bokeh server (BokehJS and its styles served from the installed
``bokeh`` package: nothing from a CDN) with the page at ``/`` and the downloads at
``/download/<session token>/<file>``; or the same app inside a running Jupyter kernel.

Downloads name a session by its random token and a file by one of three fixed names; the
files are made from the session's shown request (never from a path in the URL).
"""

from __future__ import annotations

import asyncio
import logging
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bokeh.application import Application
from bokeh.application.handlers.function import FunctionHandler
from bokeh.server.server import Server
from tornado.web import HTTPError, RequestHandler

from sim.errors import InputError, Problem
from sim.present.explorer.app import ExplorerSession, Shared
from sim.present.explorer.presets import find_presets
from sim.present.explorer.request import Door
from sim.present.explorer.worker import Engine, Mode

log = logging.getLogger(__name__)

LOCALHOST = "127.0.0.1"
#: file name -> (content type, worker download kind or None for the YAML)
FILES: dict[str, tuple[str, str | None]] = {
    "scenario.yaml": ("application/yaml; charset=utf-8", None),
    "results.nc": ("application/x-netcdf", "netcdf"),
    "results.csv": ("text/csv; charset=utf-8", "csv"),
}


class DownloadHandler(RequestHandler):
    """``GET /download/<token>/<file>``: the session's scenario YAML, netCDF or CSV."""

    def initialize(self, shared: Shared) -> None:
        self.shared = shared

    async def get(self, token: str, name: str) -> None:
        session = self.shared.sessions.get(token)
        if session is None or name not in FILES:
            raise HTTPError(404)
        request = session.shown
        if request is None:
            raise HTTPError(409, reason="nothing computed yet")
        door = self.shared.door
        content_type, kind = FILES[name]
        try:
            if kind is None:
                body = door.yaml_text(request).encode()
            else:
                future = self.shared.engine.download(door.path(request.preset),
                                                     door.overrides(request), request.key,
                                                     kind)  # type: ignore[arg-type]
                body = await asyncio.wrap_future(future)
        except InputError as exc:
            self.set_status(400)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(str(exc))
            return
        stem = request.preset.replace("/", "_")
        suffix = "-explored" if name == "scenario.yaml" else ""
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Disposition",
                        f'attachment; filename="{stem}{suffix}-{name}"')
        self.finish(body)


@dataclass
class Explorer:
    """A running explorer: its Bokeh server, shared state and address."""

    server: Server
    shared: Shared
    url: str

    def stop(self) -> None:
        self.server.stop()
        self.shared.engine.close()


def free_port(address: str = LOCALHOST) -> int:
    """A port free on ``address`` now (the operating system's choice)."""
    import socket

    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def make_shared(scenario: str | Path | None = None, mode: Mode = "process") -> Shared:
    """The door (presets: ``scenario`` first, then the project's) and the worker, warmed with
    the first preset."""
    presets = find_presets(scenario)
    door = Door(presets)
    door.base(presets.first)  # refuse a bad scenario before anything starts
    return Shared(door, Engine(mode, warm_with=presets.path(presets.first)))


def application(shared: Shared) -> Application:
    """The Bokeh application: one :class:`ExplorerSession` per browser session."""

    def make_document(doc: Any) -> None:
        preset = None
        args = doc.session_context.request.arguments if doc.session_context else {}
        wanted = args.get("preset", [b""])[0].decode(errors="replace")
        if wanted in shared.door.presets.files:
            preset = wanted
        ExplorerSession(shared, doc, preset)

    return Application(FunctionHandler(make_document))


def start(scenario: str | Path | None = None, *, address: str = LOCALHOST, port: int = 5006,
          mode: Mode = "process", io_loop: Any = None) -> Explorer:
    """Start the server (not its loop: call ``explorer.server.io_loop.start()`` or run inside
    a loop that is running). ``port=0`` picks a free port. Websocket connections are accepted
    from the page's own origin only."""
    shared = make_shared(scenario, mode)
    port = port or free_port(address)
    origins = [f"localhost:{port}", f"127.0.0.1:{port}", f"{address}:{port}"]
    patterns = [(r"/download/([A-Za-z0-9_-]+)/([a-z.]+)", DownloadHandler, {"shared": shared})]
    try:
        server = Server({"/": application(shared)}, io_loop=io_loop, address=address, port=port,
                        allow_websocket_origin=origins, extra_patterns=patterns)
        server.start()
    except OSError as exc:
        shared.engine.close()
        raise InputError([Problem.command_line("--port", f"a port free on {address}",
                                               f"{port}: {exc.strerror}")]) from None
    host = "127.0.0.1" if address in ("0.0.0.0", "", "::") else address
    return Explorer(server, shared, f"http://{host}:{server.port}/")


def serve(scenario: str | Path | None = None, *, address: str = LOCALHOST, port: int = 5006,
          open_browser: bool = True) -> None:
    """Run the explorer until interrupted (what ``aisim explore`` does)."""
    explorer = start(scenario, address=address, port=port)
    print(f"aisim explore: serving {explorer.url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        explorer.server.io_loop.add_callback(webbrowser.open, explorer.url)
    try:
        explorer.server.io_loop.start()
    except KeyboardInterrupt:
        print("aisim explore: stopped", flush=True)
    finally:
        explorer.stop()


_NOTEBOOK: dict[str, Explorer] = {}


def show_in_notebook(scenario: str | Path | None = None, *, width: int = 1320,
                     height: int = 980, port: int = 0) -> Any:
    """The explorer inline in a Jupyter notebook: starts it in the kernel's own event loop
    (once per scenario) and returns an IFrame of the page. The browser showing the notebook
    must reach the kernel's machine at 127.0.0.1 (a local Jupyter)."""
    from IPython.display import IFrame
    from tornado.ioloop import IOLoop

    key = str(Path(scenario).resolve()) if scenario is not None else ""
    if key not in _NOTEBOOK:
        _NOTEBOOK[key] = start(scenario, port=port, io_loop=IOLoop.current())
    return IFrame(_NOTEBOOK[key].url, width=width, height=height)


def stop_notebook_servers() -> None:
    """Stop every explorer :func:`show_in_notebook` started (and their workers)."""
    for running in _NOTEBOOK.values():
        running.stop()
    _NOTEBOOK.clear()
