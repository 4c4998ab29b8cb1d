"""Small polygons without shapely: whether one is valid (as shapely, that is GEOS, judges it) and a
point inside it for its label. shapely and numpy take 0.1 s to import, and a small map (the
built-in one, most briefings) has an area or two: reading and drawing it need neither.

:func:`valid_polygon` says "valid" at once only where that is certain: a shell without holes, of at
most ``SMALL`` vertices, with no vertex repeated, no three neighbouring vertices in a line and no
two edges that meet except neighbours at their shared vertex (orientations exact: a float estimate
when it is far from zero, else exact fractions). Anything else is shapely's to judge, and so is a
shell of more than ``QUICK`` vertices once shapely is loaded (its check of a long ring is the faster).

:func:`interior_point` is GEOS's interior point of an area (shapely's ``representative_point``)
worked out the same way: the widest stretch inside the polygon along a horizontal line through
the middle of its height, moved off any vertex.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from typing import Sequence

from viewer.model import numeric

SMALL = 256  # vertices; the check compares every pair of edges
# Vertices up to which the check here is the quicker even with shapely loaded (a call to GEOS a
# polygon costs more than comparing a few dozen edges: 50,000 squares 1.0 s -> 0.5 s)
QUICK = 32

# Far above the rounding of the float estimate (about 3.3e-16 of the terms' size): beyond it the
# estimate's sign is the exact one.
_FILTER = 1e-12


def _orient(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> int:
    """The exact sign of the turn a -> b -> c (1 left, -1 right, 0 in a line)."""
    left = (b[0] - a[0]) * (c[1] - a[1])
    right = (b[1] - a[1]) * (c[0] - a[0])
    det = left - right
    bound = _FILTER * (abs(left) + abs(right))
    if det > bound:
        return 1
    if det < -bound:
        return -1
    ax, ay, bx, by, cx, cy = (Fraction(v) for v in (*a, *b, *c))
    exact = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    return (exact > 0) - (exact < 0)


def plainly_valid(ring: Sequence[Sequence[float]]) -> bool:
    """True when the closed ring of (x, y) (first position repeated last) is certainly a valid
    polygon shell by itself; False when that is not certain."""
    pts = [(float(p[0]), float(p[1])) for p in ring]
    if len(pts) < 4 or pts[0] != pts[-1]:
        return False
    pts.pop()
    n = len(pts)
    if n < 3 or n > SMALL or len(set(pts)) != n:
        return False
    nxt = pts[1:] + pts[:1]  # (the vertex after each)
    # neighbouring edges meet only at their shared vertex (_orient's float estimate inline, its
    # exact sign only where the estimate is near zero); and which way each vertex turns
    lefts = 0
    for (ax, ay), (bx, by), (cx, cy) in zip(pts[-1:] + pts[:-1], pts, nxt):
        left = (bx - ax) * (cy - ay)
        right = (by - ay) * (cx - ax)
        if abs(left - right) <= _FILTER * (abs(left) + abs(right)):
            turn = _orient((ax, ay), (bx, by), (cx, cy))
            if turn == 0:
                return False
            lefts += turn > 0
        else:
            lefts += left > right
    if n == 3:
        return True  # (no two edges that are not neighbours)
    if n == 4 and (lefts == 0 or lefts == 4):
        # Four turns all one way: each turns by less than half a turn, so together they turn once
        # (less than twice): a convex quadrilateral, whose edges meet only their neighbours.
        return True
    boxes = [(ax if ax < bx else bx, ay if ay < by else by, bx if ax < bx else ax, by if ay < by else ay)
             for (ax, ay), (bx, by) in zip(pts, nxt)]
    for i in range(n):
        a, b = pts[i], nxt[i]
        x0, y0, x1, y1 = boxes[i]
        for j in range(i + 2, n - (1 if i == 0 else 0)):  # the others (not the edges beside it)
            u0, v0, u1, v1 = boxes[j]
            if u0 > x1 or u1 < x0 or v0 > y1 or v1 < y0:
                continue
            c, d = pts[j], nxt[j]
            o1, o2, o3, o4 = _orient(a, b, c), _orient(a, b, d), _orient(c, d, a), _orient(c, d, b)
            if not (o1 and o2 and o3 and o4):
                return False  # they touch, or lie in a line: not certain
            if o1 != o2 and o3 != o4:
                return False  # they cross
    return True


def valid_polygon(shell: Sequence[Sequence[float]], holes: Sequence[Sequence[Sequence[float]]] = ()) -> bool:
    """Whether shapely finds the polygon (closed rings of (x, y)) valid: at once for a small plain
    shell (of up to ``QUICK`` vertices, or ``SMALL`` while shapely is not loaded), else by shapely."""
    if not holes and (len(shell) <= QUICK or "shapely" not in sys.modules) and plainly_valid(shell):
        return True
    numeric.load()
    import shapely

    return bool(shapely.Polygon(shell, list(holes) or None).is_valid)  # (holes of any lengths)


def interior_point(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    """A point inside the polygon of ``ring`` ((x, y); closed or not), as GEOS finds it: on the
    horizontal line halfway between the vertices nearest above and below the middle of its height,
    the middle of the widest stretch inside. (A ring with no height: its first vertex.)"""
    pts = [(float(p[0]), float(p[1])) for p in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    ys = [y for _, y in pts]
    centre = (min(ys) + max(ys)) / 2.0
    below = max((y for y in ys if y <= centre), default=centre)
    above = min((y for y in ys if y > centre), default=below)
    scan = (below + above) / 2.0
    xs = []
    n = len(pts)
    for i in range(n):
        (ax, ay), (bx, by) = pts[i], pts[(i + 1) % n]
        if (ay > scan) != (by > scan) and ay != by:
            xs.append(ax + (scan - ay) * (bx - ax) / (by - ay))
    xs.sort()
    best = None
    for k in range(0, len(xs) - 1, 2):
        width = xs[k + 1] - xs[k]
        if best is None or width > best[0]:
            best = (width, (xs[k] + xs[k + 1]) / 2.0)
    if best is None:
        return pts[0]
    return best[1], scan
