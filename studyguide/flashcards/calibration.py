"""calibration.pdf: one sheet that shows how far a printer shifts the back side.

The front has crosses with millimetre scales; the back has crosses where they would
land behind them if the printer were exact. Held against the light, the back's cross
falls on the front's scales at the numbers to pass as --back-offset X,Y: the scales are
labelled for the duplex mode, so the reading needs no arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..html.papers import PAPERS
from .sheets import Duplex

SCALE_MM = 5  # each scale runs from -5 to +5 mm
TARGET_INSET = 45.0  # mm from the edges of the paper to the outer crosses


@dataclass(frozen=True)
class Tick:
    offset: float  # mm from the cross, right or down
    length: float
    label: str | None


@dataclass(frozen=True)
class Target:
    x: float
    y: float


@dataclass(frozen=True)
class Calibration:
    paper_width: float
    paper_height: float
    duplex: Duplex
    fronts: tuple[Target, ...]
    backs: tuple[Target, ...]
    horizontal_ticks: tuple[Tick, ...]
    vertical_ticks: tuple[Tick, ...]


def calibration(paper: str, duplex: Duplex, back_offset: tuple[float, float] = (0.0, 0.0)) -> Calibration:
    width, height = PAPERS[paper].width_mm, PAPERS[paper].height_mm
    fronts = tuple(Target(x, y) for x, y in (
        (width / 2, height / 2), (TARGET_INSET, TARGET_INSET), (width - TARGET_INSET, TARGET_INSET),
        (TARGET_INSET, height - TARGET_INSET), (width - TARGET_INSET, height - TARGET_INSET)))
    dx, dy = back_offset
    if duplex == "short-edge":
        backs = tuple(Target(t.x + dx, height - t.y + dy) for t in fronts)
        x_sign, y_sign = -1, 1
    else:
        backs = tuple(Target(width - t.x + dx, t.y + dy) for t in fronts)
        x_sign, y_sign = 1, -1
    return Calibration(width, height, duplex, fronts, backs, _ticks(x_sign), _ticks(y_sign))


def _ticks(sign: int) -> tuple[Tick, ...]:
    """Ticks every half millimetre, longer every millimetre, labelled every two with the value to pass."""
    ticks = []
    for half_mm in range(-2 * SCALE_MM, 2 * SCALE_MM + 1):
        offset = half_mm / 2
        label = None
        if half_mm % 4 == 0:
            label = "0" if half_mm == 0 else f"{sign * offset:+g}".replace("-", "−")
        ticks.append(Tick(offset, 2.2 if half_mm % 2 == 0 else 1.2, label))
    return tuple(ticks)
