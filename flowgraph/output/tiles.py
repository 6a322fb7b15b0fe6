"""Cutting a laid-out drawing into tiles: between the shapes, never through one.

A chart too large for a page is printed as tiles of its one drawing (:mod:`.paper`).
The cuts run through the gaps between shapes and labels, so that every box stands
whole on one tile; a line that crosses a cut is cut there, and the two pieces are
marked (:mod:`.paper` writes the marks). This module is the geometry: where the
gaps are (:func:`cut_points`), where a line crosses a cut (:func:`crossings`), and the
pieces of a line inside a tile (:func:`clip`).

Routes are Graphviz's: cubic Bézier segments (3k + 1 points), an optional arrow end
(``e,x,y``) and start (``s,x,y``); coordinates in points, y upwards.
"""
from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
#: Samples per Bézier segment when looking for the places it crosses a line: a cubic
#: crosses a line at most three times, and Graphviz's segments are gentle.
SAMPLES = 24
EPSILON = 1e-6


@dataclass(frozen=True)
class Window:
    """A rectangle of the drawing: what one tile shows."""

    left: float
    bottom: float
    right: float
    top: float

    def holds(self, point: Point, slack: float = 0.01) -> bool:
        x, y = point
        return (self.left - slack <= x <= self.right + slack
                and self.bottom - slack <= y <= self.top + slack)


@dataclass(frozen=True)
class Route:
    """A parsed Graphviz route."""

    points: tuple[Point, ...]
    start: Point | None = None
    end: Point | None = None

    @classmethod
    def parse(cls, pos: str) -> Route:
        start = end = None
        points = []
        for token in pos.split():
            kind = token[:2] if token[:2] in ("e,", "s,") else ""
            x, y = (float(v) for v in token[len(kind):].split(","))
            if kind == "e,":
                end = (x, y)
            elif kind == "s,":
                start = (x, y)
            else:
                points.append((x, y))
        return cls(tuple(points), start, end)

    def text(self) -> str:
        """The route as Graphviz writes it."""
        parts = []
        if self.end is not None:
            parts.append("e," + _point(self.end))
        if self.start is not None:
            parts.append("s," + _point(self.start))
        parts += [_point(p) for p in self.points]
        return " ".join(parts)

    def segments(self) -> list[tuple[Point, Point, Point, Point]]:
        p = self.points
        return [(p[i], p[i + 1], p[i + 2], p[i + 3]) for i in range(0, len(p) - 3, 3)]


def _point(point: Point) -> str:
    return ",".join(f"{v:.2f}".rstrip("0").rstrip(".") or "0" for v in point)


def _at(segment, t: float) -> Point:
    """The point of a cubic Bézier segment at ``t``."""
    a, b, c, d = segment
    u = 1 - t
    return (u * u * u * a[0] + 3 * u * u * t * b[0] + 3 * u * t * t * c[0] + t * t * t * d[0],
            u * u * u * a[1] + 3 * u * u * t * b[1] + 3 * u * t * t * c[1] + t * t * t * d[1])


def _split(segment, t: float):
    """A segment cut at ``t`` into two (de Casteljau)."""
    a, b, c, d = segment

    def mix(p: Point, q: Point) -> Point:
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
    ab, bc, cd = mix(a, b), mix(b, c), mix(c, d)
    abc, bcd = mix(ab, bc), mix(bc, cd)
    middle = mix(abc, bcd)
    return (a, ab, abc, middle), (middle, bcd, cd, d)


def _roots(segment, axis: int, value: float) -> list[float]:
    """The parameters where the segment's coordinate ``axis`` equals ``value`` (none
    when its control points, whose hull holds the curve, are all on one side)."""
    found: list[float] = []
    if all(point[axis] < value for point in segment) \
            or all(point[axis] > value for point in segment):
        return found
    before = _at(segment, 0.0)[axis] - value
    for step in range(1, SAMPLES + 1):
        t = step / SAMPLES
        now = _at(segment, t)[axis] - value
        if (before < 0) != (now < 0):
            low, high = t - 1 / SAMPLES, t
            for _ in range(40):
                middle = (low + high) / 2
                if (_at(segment, middle)[axis] - value < 0) == (before < 0):
                    low = middle
                else:
                    high = middle
            found.append((low + high) / 2)
        before = now
    return found


def crossings(route: Route, axis: int, value: float) -> list[Point]:
    """Where a route crosses the line where coordinate ``axis`` (0: x, 1: y) equals
    ``value``."""
    return [_at(segment, t) for segment in route.segments()
            for t in _roots(segment, axis, value)]


@dataclass(frozen=True)
class Piece:
    """The part of a route inside a window: its points, and whether it begins at the
    route's start and ends at its end (else at a crossing of the window's edge)."""

    points: tuple[Point, ...]
    starts: bool
    ends: bool


def clip(route: Route, window: Window) -> list[Piece]:
    """The pieces of ``route`` inside ``window``, in order."""
    xs = [x for x, _ in route.points]
    ys = [y for _, y in route.points]
    if window.holds((min(xs), min(ys)), 0.0) and window.holds((max(xs), max(ys)), 0.0):
        return [Piece(route.points, True, True)]
    if max(xs) < window.left or min(xs) > window.right or max(ys) < window.bottom \
            or min(ys) > window.top:
        return []
    parts: list[tuple[tuple[Point, Point, Point, Point], bool]] = []
    segments = route.segments()
    for segment in segments:
        cuts = sorted(t for axis, values in ((0, (window.left, window.right)),
                                             (1, (window.bottom, window.top)))
                      for value in values for t in _roots(segment, axis, value)
                      if EPSILON < t < 1 - EPSILON)
        rest, done = segment, 0.0
        for t in cuts:
            head, rest = _split(rest, (t - done) / (1 - done))
            done = t
            parts.append((head, window.holds(_at(head, 0.5))))
        parts.append((rest, window.holds(_at(rest, 0.5))))
    pieces: list[Piece] = []
    run: list[tuple[Point, Point, Point, Point]] = []
    first_inside = None
    for index, (segment, inside) in enumerate(parts):
        if inside:
            if not run:
                first_inside = index
            run.append(segment)
        if run and (not inside or index == len(parts) - 1):
            pieces.append(_piece(run, first_inside == 0, inside and index == len(parts) - 1))
            run = []
    return pieces


def _piece(run, starts: bool, ends: bool) -> Piece:
    points = [run[0][0]]
    for segment in run:
        points += segment[1:]
    return Piece(tuple(points), starts, ends)


def cut_points(shapes: list[tuple[float, float]], length: float,
               rooms: list[float]) -> list[float]:
    """Where to cut a drawing ``length`` long into bands, measured from its start:
    each band at most its room (``rooms[i]``, the last repeated), each cut in a gap
    between ``shapes`` (intervals along the same axis), in the middle of the gap or as
    far along as the room allows; through a shape only where no gap is in reach."""
    merged: list[list[float]] = []
    for low, high in sorted(shapes):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    bounds = [0.0] + [v for pair in merged for v in pair] + [length]
    gaps = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)
            if bounds[i + 1] > bounds[i]]
    cuts: list[float] = []
    position = 0.0
    while length - position > rooms[min(len(cuts), len(rooms) - 1)]:
        limit = position + rooms[min(len(cuts), len(rooms) - 1)]
        reach = [(max(low, position), min(high, limit)) for low, high in gaps
                 if high > position + EPSILON and low < limit]
        room = limit - position
        cut = limit
        if reach:
            low, high = reach[-1]
            if (low + high) / 2 > position + room / 4:
                cut = (low + high) / 2
        cuts.append(cut)
        position = cut
    return cuts
