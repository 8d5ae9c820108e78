"""What every view needs from the app: the session factory, the clock and the settings.

Stored once on the app by create_app() (`app.extensions["clusterwatch"]`) rather than in module
globals, so two apps (two tests) never share a database, and the clock is an injection seam.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.monitor.settings import Settings

EXTENSION_KEY = "clusterwatch"


@dataclass(frozen=True)
class WebContext:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime]


def install(app: Flask, context: WebContext) -> None:
    app.extensions[EXTENSION_KEY] = context


def web_context() -> WebContext:
    context = current_app.extensions[EXTENSION_KEY]
    assert isinstance(context, WebContext)
    return context


def now() -> datetime:
    return web_context().clock()


def sessions() -> sessionmaker[Session]:
    return web_context().sessions
