"""Coordinates in another tool's coordinate system (a national grid, UTM, Web Mercator, a
geographic system on another datum) converted to longitude/latitude on WGS84 with PROJ (pyproj),
offline: PROJ's own database, never its network grids.

A geometry whose positions cannot be converted (outside the system's area, where PROJ gives no
finite answer) is marked, so the reader can leave it out and say so."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from viewer.model import numeric


class UnknownSystem(ValueError):
    """A coordinate system PROJ cannot read (the reason is the message)."""


@dataclass
class Conversion:
    """From one coordinate system to longitude/latitude; ``name`` as the user reads it."""

    name: str
    transformer: Any  # pyproj.Transformer (always_xy: longitude first)
    back: Any  # and from longitude/latitude to the system (to check each position comes back)
    geographic: bool = False  # longitude/latitude on another datum: a file's straight edges are straight in them

    def geometries(self, geoms):
        """The shapely geometries (an array) converted, in two dimensions (heights, in the
        system's own vertical terms, are not carried over), and for each whether every position
        came out finite (False: outside the area the system covers)."""
        numeric.load()
        import numpy as np
        import shapely

        geoms = shapely.force_2d(geoms)
        coords, index = shapely.get_coordinates(geoms, return_index=True)
        ok = np.ones(len(geoms), dtype=bool)
        if len(coords):
            x, y = self.transformer.transform(coords[:, 0], coords[:, 1], errcheck=False)
            x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
            # PROJ answers far outside a system's area too, with places that are not there: a
            # position counts only if it converts back to itself (to a millimetre in a metre grid)
            bx, by = self.back.transform(x, y, errcheck=False)
            with np.errstate(invalid="ignore", over="ignore"):  # (inf - inf: no position, and said so)
                tol = 1e-3 + 1e-9 * np.abs(coords)
                back_ok = (np.abs(np.asarray(bx, dtype=float) - coords[:, 0]) <= tol[:, 0]) & \
                          (np.abs(np.asarray(by, dtype=float) - coords[:, 1]) <= tol[:, 1])
            coords = np.column_stack([x, y])
            bad = ~(np.isfinite(x) & np.isfinite(y) & back_ok & (np.abs(y) <= 90.0))
            if bad.any():
                ok[np.unique(index[bad])] = False
                coords[bad] = 0.0  # (those geometries are left out)
            geoms = shapely.set_coordinates(geoms.copy(), coords)
        return geoms, ok


def readable_system(system: str | int) -> bool:
    """Whether PROJ reads ``system`` as a coordinate system."""
    try:
        conversion_for(system)
    except UnknownSystem:
        return False
    return True


def conversion_for(system: str | int) -> Conversion | None:
    """The conversion from ``system`` (an EPSG code, WKT as a .prj or a GeoPackage holds it, or
    any name PROJ reads) to longitude/latitude, or None if it is longitude/latitude on WGS84
    already. Raises :class:`UnknownSystem`."""
    numeric.load()
    import pyproj

    pyproj.network.set_network_enabled(False)  # (offline, whatever PROJ_NETWORK says: no grids fetched)
    return _conversion(system)


@functools.lru_cache(maxsize=32)
def _conversion(system: str | int) -> Conversion | None:
    """(Made once per system: a file's tables in one system, a projected GeoJSON checked then read.)"""
    import pyproj
    from pyproj.exceptions import CRSError, ProjError

    try:
        crs = pyproj.CRS.from_user_input(system)
    except RecursionError:
        raise UnknownSystem("not a coordinate system PROJ reads (nested too deep)") from None
    except (CRSError, TypeError, ValueError) as e:
        raise UnknownSystem(str(e).splitlines()[0][:160] if str(e) else "not a coordinate system PROJ reads") from None
    if crs.is_vertical and not (crs.is_geographic or crs.is_projected):
        # (heights only: every position would read as outside the world)
        raise UnknownSystem(f"{crs.name}: heights only, no positions")
    if _is_wgs84_lonlat(crs):
        return None
    try:
        transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        back = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    except (CRSError, ProjError, ValueError) as e:
        raise UnknownSystem(f"{crs.name}: no way to longitude/latitude ({str(e).splitlines()[0][:120]})") from None
    code = crs.to_epsg(min_confidence=90)
    name = re.sub(r"^(unknown|unk) / ", "", crs.name or "", flags=re.I)
    if name.lower() in ("", "unknown", "unk"):
        name = "its own coordinate system"
    return Conversion(name=f"{name} (EPSG:{code})" if code else name, transformer=transformer, back=back,
                      geographic=bool(crs.is_geographic))


def _is_wgs84_lonlat(crs) -> bool:
    if not crs.is_geographic:
        return False
    code = crs.to_epsg(min_confidence=90)
    if code in (4326, 4979):
        return True
    return (crs.to_json_dict().get("id") or {}).get("code") == "CRS84" or crs.name in ("WGS 84", "WGS 84 (CRS84)")
