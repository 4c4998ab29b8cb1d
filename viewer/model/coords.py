"""Coordinates shown and typed by people: decimal degrees, degrees-minutes-seconds, MGRS."""

from __future__ import annotations

import math

FORMATS = ("dd", "dms", "mgrs")


def normalise_lon(lon: float) -> float:
    """Longitude folded into [-180, 180)."""
    return ((lon + 180.0) % 360.0) - 180.0


def _hemi(value: float, pos: str, neg: str) -> str:
    return pos if value >= 0 else neg


def format_dd(lat: float, lon: float, digits: int = 5) -> str:
    lon = normalise_lon(lon)
    return f"{abs(lat):.{digits}f}\u00b0 {_hemi(lat, 'N', 'S')}, {abs(lon):.{digits}f}\u00b0 {_hemi(lon, 'E', 'W')}"


def _dms(value: float) -> str:
    total = round(abs(value) * 3600, 1)
    d = int(total // 3600)
    m = int((total - d * 3600) // 60)
    s = total - d * 3600 - m * 60
    return f"{d}\u00b0{m:02d}\u2032{s:04.1f}\u2033"


def format_dms(lat: float, lon: float) -> str:
    lon = normalise_lon(lon)
    return f"{_dms(lat)} {_hemi(lat, 'N', 'S')}, {_dms(lon)} {_hemi(lon, 'E', 'W')}"


def format_mgrs(lat: float, lon: float, precision: int = 5) -> str:
    import mgrs

    if not -80.0 <= lat <= 84.0:
        return format_dd(lat, lon) + " (outside MGRS UTM zones)"
    text = mgrs.MGRS().toMGRS(lat, normalise_lon(lon), MGRSPrecision=precision)
    if isinstance(text, bytes):
        text = text.decode("ascii")
    # 52SCG1234567890 -> 52S CG 12345 67890
    head = text[:-2 * precision]
    digits = text[-2 * precision:]
    zone, square = head[:-2], head[-2:]
    return f"{zone} {square} {digits[:precision]} {digits[precision:]}"


def format_latlon(lat: float, lon: float, fmt: str = "dd") -> str:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return ""
    if fmt == "dms":
        return format_dms(lat, lon)
    if fmt == "mgrs":
        return format_mgrs(lat, lon)
    return format_dd(lat, lon)
