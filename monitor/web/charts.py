"""Chart geometry for server-rendered SVG: stacked columns over time and stacked horizontal bars.

Python computes rectangles and ticks; templates/_charts.html draws them with autoescaped labels
and presentation attributes (the CSP forbids inline styles and scripts). Each chart is paired in
the page with a data table, so screen-reader users and colour-blind users get the numbers too.
Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clusterwatch.vocabulary import Status

STATUS_ORDER: tuple[str, ...] = tuple(Status)
STATUS_COLOURS: dict[str, str] = {
    Status.ACTIVE: "#009E73",
    Status.DORMANT: "#E69F00",
    Status.UNREACHABLE: "#D55E00",
    Status.PARKED: "#CC79A7",
    Status.UNKNOWN: "#8C8C8C",
}

WIDTH = 760
COLUMN_HEIGHT = 220
BAR_HEIGHT = 20
BAR_GAP = 8
LEFT = 44  # room for the y axis numbers
LABEL_WIDTH = 190  # room for the bar labels (sector or prefecture names)
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: tuple[Rect, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    legend: tuple[tuple[str, str], ...]  # (key, colour)


def _legend(keys: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((key, STATUS_COLOURS.get(key, "#555555")) for key in keys)


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at or above value (a round top for the axis)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stacked_columns(
    points: Sequence[tuple[str, Mapping[str, int]]], keys: Sequence[str] = STATUS_ORDER
) -> Chart:
    """One column per point (a date label and counts per key), stacked in `keys` order."""
    plot_width = WIDTH - LEFT - 8
    top = _nice_max(max((sum(counts.values()) for _, counts in points), default=0) or 1)
    slot = plot_width / max(len(points), 1)
    column_width = max(slot * 0.8, 1.0)
    rects: list[Rect] = []
    for index, (when, counts) in enumerate(points):
        x = LEFT + index * slot + (slot - column_width) / 2
        base = float(COLUMN_HEIGHT)
        for key in keys:
            count = counts.get(key, 0)
            if not count:
                continue
            height = count / top * (COLUMN_HEIGHT - 10)
            base -= height
            colour = STATUS_COLOURS.get(key, "#555555")
            rects.append(Rect(x, base, column_width, height, colour, f"{when}: {count} {key}"))
    every = max(1, -(-len(points) // MAX_X_LABELS))
    x_ticks = tuple(
        Tick(LEFT + index * slot + slot / 2, when)
        for index, (when, _) in enumerate(points)
        if index % every == 0
    )
    y_ticks = tuple(
        Tick(COLUMN_HEIGHT - fraction * (COLUMN_HEIGHT - 10), str(round(top * fraction)))
        for fraction in (0, 0.5, 1)
    )
    return Chart(WIDTH, COLUMN_HEIGHT + 24, tuple(rects), x_ticks, y_ticks, _legend(keys))


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]], keys: Sequence[str] = STATUS_ORDER
) -> Chart:
    """One horizontal bar per row (a label and counts per key), longest scale = largest row."""
    plot_width = WIDTH - LABEL_WIDTH - 40
    top = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    rects: list[Rect] = []
    labels: list[Tick] = []
    for index, (name, counts) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        for key in keys:
            count = counts.get(key, 0)
            if not count:
                continue
            width = count / top * plot_width
            colour = STATUS_COLOURS.get(key, "#555555")
            rects.append(Rect(x, y, width, BAR_HEIGHT, colour, f"{name}: {count} {key}"))
            x += width
        labels.append(Tick(y + BAR_HEIGHT / 2, name))
    height = max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP)
    return Chart(WIDTH, height, tuple(rects), (), tuple(labels), _legend(keys))


STRIP_HEIGHT = 28


def status_strip(points: Sequence[tuple[str, str]]) -> Chart:
    """One thin cell per run (date label, status), left to right: a cluster's whole history."""
    slot = (WIDTH - 8) / max(len(points), 1)
    rects = tuple(
        Rect(
            4 + index * slot,
            0.0,
            max(slot, 1.0),
            float(STRIP_HEIGHT),
            STATUS_COLOURS.get(status, "#555555"),
            f"{when}: {status}",
        )
        for index, (when, status) in enumerate(points)
    )
    every = max(1, -(-len(points) // MAX_X_LABELS))
    x_ticks = tuple(
        Tick(4 + index * slot, when) for index, (when, _) in enumerate(points) if index % every == 0
    )
    return Chart(WIDTH, STRIP_HEIGHT + 20, rects, x_ticks, (), _legend(STATUS_ORDER))
