"""Positions as the page gets them: each coordinate rounded to six decimals (about 0.1 m), as
Python's ``round(x, 6)`` rounds it.

:func:`round_positions` rounds one value (a position, a line, rings, parts) where it stands. A
large map's batch (page.py) puts the positions of its many lines and areas into one flat list
(:func:`flatten_into`) and rounds them at once with numpy (:func:`rounded`: 100,000 shapes hold
about a million coordinates, and rounding them one by one took a third of a second); each comes
out exactly as ``round(x, 6)`` gives it.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from viewer.model import numeric

# numpy's product x * 1e6 is within a rounding error (far below this, for any |x * 1e6| < 2**40) of
# the exact one: away from a half this much, its nearest whole number is the exact product's, and
# that number divided by 1e6 (both exact) is the double nearest to it over a million, which is
# what round(x, 6) gives. Nearer a half, round(x, 6) itself decides.
_NEAR_HALF = 1e-3
_EXACT_BELOW = 2.0 ** 40


def round_positions(v: Any, nd: int = 6) -> Any:
    if isinstance(v, float):
        return round(v, nd)
    if isinstance(v, (list, tuple)):
        if v and isinstance(v[0], (list, tuple)) and len(v[0]) == 2 and isinstance(v[0][0], float):
            try:  # a line or ring of (lat, lon) pairs, the commonest case: one comprehension
                return [[round(a, nd), round(b, nd)] for a, b in v]
            except (TypeError, ValueError):
                pass
        return [round_positions(x, nd) for x in v]
    return v


def flatten_into(v: Any, flat: list[float]) -> int | list | None:
    """Put a line's or area's positions (a list of (lat, lon) pairs, or lists of such lists) at the
    end of ``flat``, lat and lon after each other; give their layout: a line's number of pairs, or
    the list of its parts' layouts (None, ``flat`` as it was: not such positions)."""
    before = len(flat)
    try:
        layout = _flatten(v, flat)
    except (TypeError, ValueError):
        layout = None
    if layout is None:
        del flat[before:]
    return layout


def _flatten(v: Any, flat: list[float]) -> int | list | None:
    if not isinstance(v, (list, tuple)) or not v or not isinstance(v[0], (list, tuple)) or not v[0]:
        return None
    if not isinstance(v[0][0], (list, tuple)):
        n = len(v)
        flat.extend(chain.from_iterable(v))
        return n if set(map(len, v)) == _TWO else None
    parts = [_flatten(x, flat) for x in v]
    return None if None in parts else parts


_TWO = {2}  # (the length of each of a line's pairs)


def rounded(flat: list[float]) -> list[float] | None:
    """Each of ``flat`` (floats only: else None) as ``round(x, 6)`` gives it, with numpy."""
    if set(map(type, flat)) - {float}:
        return None
    if len(flat) < (_WITH_NUMPY if numeric.loaded() else _LOADING_NUMPY):
        return [round(x, 6) for x in flat]
    return _rounded_values(flat)


# Below this many, one by one is as fast; and below the second, loading numpy for it (0.06 s and
# more: a map of points only may not have needed it yet) costs more than it saves.
_WITH_NUMPY = 20_000
_LOADING_NUMPY = 300_000


def _rounded_values(flat: list[float]) -> list[float]:
    numeric.load()
    import numpy as np

    return _rounded_array(np.array(flat, dtype=np.float64))


def _rounded_array(x) -> list[float]:
    """Each of the numpy array ``x`` (float64, one dimension) as ``round(v, 6)`` gives it."""
    numeric.load()
    import numpy as np

    with np.errstate(all="ignore"):
        y = x * 1e6
        r = np.rint(y) / 1e6
        frac = y - np.floor(y)
        unsure = ~((np.abs(y) < _EXACT_BELOW) & (np.abs(frac - 0.5) > _NEAR_HALF))
    values = r.tolist()
    for i in np.nonzero(unsure)[0].tolist():
        values[i] = round(float(x[i]), 6)
    return values


class Flat:
    """The positions of a batch's lines and areas, lat and lon after each other in their rows'
    order, and each one's layout (:func:`flatten_into`'s). A shape the bulk solver drew (its
    ``rows_at``: where its positions lie in the solver's arrays) is taken from those arrays
    as it is, not flattened value by value; :meth:`values` rounds them all at once."""

    def __init__(self) -> None:
        self._pieces: list = []  # numpy (n, 2) slices and lists of floats, in order

    def put(self, latlngs: Any, shape: Any) -> int | list | None:
        """Add a line's or area's positions as drawn (``latlngs``, its Shape ``shape`` or None);
        give their layout (None: not such positions, nothing added)."""
        at = getattr(shape, "rows_at", None)
        if at is not None and latlngs is shape.display:
            if shape.kind == "line":
                if latlngs:
                    first = at[1]
                    self._pieces.append(at[0][first:first + len(latlngs)])
                    return len(latlngs)
            elif len(latlngs) == 1 and len(latlngs[0]) == len(at) and None not in at:
                layout = [len(ring) for ring in latlngs[0]]
                if all(layout):
                    put = self._pieces.append
                    for (rows, first), n in zip(at, layout):
                        put(rows[first:first + n])
                    return [layout]
        if not self._pieces or type(self._pieces[-1]) is not list:
            self._pieces.append([])
        return flatten_into(latlngs, self._pieces[-1])

    def values(self) -> list[float] | None:
        """Every position's lat and lon, rounded as ``round(x, 6)`` rounds it (None: not all
        floats, as :func:`rounded`)."""
        pieces = [p for p in self._pieces if len(p)]
        if not pieces:
            return []
        if all(type(p) is not list for p in pieces):
            numeric.load()
            import numpy as np

            return _rounded_array(np.concatenate(pieces).ravel())
        return rounded(list(chain.from_iterable(p if type(p) is list else p.ravel().tolist() for p in pieces)))
