"""The inverse geodesic problem, solved by GeographicLib in Python or, for bulk work, by
GeographicLib's C library.

geographiclib (the Python package) and the C library that pyproj's ``Geod`` wraps are the same
algorithm by the same author (Karney 2013) on the same WGS84 constants; their answers agree to
nanometres and billionths of a degree (``tests/model/test_geodesic_solver.py``). The C one is
thirty times faster, which is what a map of 100,000 lines and areas (400,000 geodesic edges)
needs. Importing pyproj costs about 70 ms, so a small map (the built-in scenario at start-up)
keeps to the Python package, and a bulk job opts in for its own thread with :func:`compiled`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, NamedTuple

from geographiclib.geodesic import Geodesic

Inverse = Callable[[float, float, float, float], "tuple[float, float, float]"]
Direct = Callable[[float, float, float, float], "tuple[float, float, float]"]


class Solver(NamedTuple):
    """``inverse(lat1, lon1, lat2, lon2)`` -> (s12 in metres, azimuth at the first point,
    azimuth at the second, in degrees, both in the direction of travel); ``direct(lat1, lon1,
    azi1, s12)`` -> (lat2, lon2 in [-180, 180], azi2), or None where the caller's own geodesic
    line is to be used."""

    inverse: Inverse
    direct: Direct | None

_PY = Geodesic.WGS84
_MASK = Geodesic.DISTANCE | Geodesic.AZIMUTH

#: Line and area features from which drawing a map switches to the C solver (the import pays
#: for itself after about 2,000 edges).
BULK_SHAPES = 500
#: ... or their vertices, however few the features (a GPS track of 100,000 points, one feature:
#: 5 s one edge at a time in Python).
BULK_VERTICES = 10_000


def _python_inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float, float]:
    r = _PY.Inverse(lat1, lon1, lat2, lon2, _MASK)
    return r["s12"], r["azi1"], r["azi2"]


PYTHON = Solver(_python_inverse, None)
_c_solver: Solver | None = None
_c_geod = None  # pyproj's Geod on WGS84, once loaded


def c_solver() -> Solver:
    """The same problems solved by GeographicLib's C library (loaded on first use)."""
    global _c_solver, _c_geod
    if _c_solver is None:
        from pyproj import Geod

        geod = _c_geod = Geod(a=_PY.a, f=_PY.f)
        inv, fwd = geod.inv, geod.fwd

        def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float, float]:
            azi1, azi2, s12 = inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
            return s12, azi1, azi2

        def direct(lat1: float, lon1: float, azi1: float, s12: float) -> tuple[float, float, float]:
            lon2, lat2, azi2 = fwd(lon1, lat1, azi1, s12, return_back_azimuth=False)
            return lat2, lon2, azi2

        _c_solver = Solver(inverse, direct)
    return _c_solver


_unavailable: str | None = None


def _bulk_solver() -> Solver | None:
    """The C solver, or None (said once on stderr) where pyproj cannot be loaded: a large map is
    then drawn with the Python package, slower but the same."""
    global _unavailable
    if _unavailable is not None:
        return None
    try:
        return c_solver()
    except (ImportError, OSError) as e:
        _unavailable = str(e) or type(e).__name__
        sys.stderr.write(f"sitmap: geodesics in Python, pyproj could not be loaded ({_unavailable})\n")
        return None


def c_arrays(lat1, lon1, lat2, lon2):
    """The inverse problem for arrays of edges at once (numpy arrays of degrees): (s12, azi1,
    azi2) arrays, each element what the C solver's ``inverse`` gives for that edge."""
    c_solver()
    azi1, azi2, s12 = _c_geod.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
    return s12, azi1, azi2


def c_direct_arrays(lat1, lon1, azi1, s12):
    """The direct problem for arrays at once: (lat2, lon2, azi2) arrays, each element what the C
    solver's ``direct`` gives for it."""
    c_solver()
    lon2, lat2, azi2 = _c_geod.fwd(lon1, lat1, azi1, s12, return_back_azimuth=False)
    return lat2, lon2, azi2


_solver: ContextVar[Solver | None] = ContextVar("sitmap_geodesic_solver", default=None)


def solver() -> Solver:
    """The solver of the current thread: the C one inside :func:`compiled`, else Python's."""
    return _solver.get() or PYTHON


@contextmanager
def compiled(wanted: bool = True) -> Iterator[None]:
    """Solve this thread's inverse problems in C while the block runs (``wanted`` False: as
    before, so a caller can decide by the size of its job)."""
    chosen = _bulk_solver() if wanted else None
    if chosen is None:
        yield
        return
    token = _solver.set(chosen)
    try:
        yield
    finally:
        _solver.reset(token)
