"""Coordinates shown and typed by people: decimal degrees, degrees-minutes-seconds, MGRS."""

from __future__ import annotations

import math

FORMATS = ("dd", "dms", "mgrs")


def normalise_lon(lon: float, *, keep_180: bool = False) -> float:
    """Longitude folded into [-180, 180), exactly: the one longitude normaliser. ``keep_180``:
    a longitude on the antimeridian keeps its side (+180 stays +180), as geodesic results give it."""
    folded = math.remainder(lon, 360.0) + 0.0
    if folded == 180.0 and not (keep_180 and lon > 0):
        return -180.0
    if folded == -180.0 and keep_180 and lon > 0:
        return 180.0
    return folded


def to_latlon(positions) -> list[tuple[float, float]]:
    """GeoJSON positions ``[lon, lat]`` as ``(lat, lon)`` pairs. Coordinate order is turned here
    (and back in :func:`to_positions`) and nowhere else."""
    return [(float(p[1]), float(p[0])) for p in positions]


def to_positions(latlons) -> list[list[float]]:
    """``(lat, lon)`` pairs as GeoJSON positions ``[lon, lat]``."""
    return [[float(lon), float(lat)] for lat, lon in latlons]


def unwrap_lon(lon: float, previous: float) -> float:
    """``lon`` moved by whole turns to lie within 180 degrees of ``previous`` (the short way).
    A longitude already within reach is returned unchanged, exactly (no rounding noise)."""
    lon = float(lon)
    if abs(lon - previous) <= 180.0:
        return lon
    return lon + 360.0 * round((previous - lon) / 360.0)


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

    # (past 84 N and 80 S the polar grid, UPS: a zone letter A, B, Y or Z without a number)
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


class CoordinateError(ValueError):
    pass


_DMS_PART = r"(\d+(?:\.\d+)?)\s*[°d:\s]\s*(?:(\d+(?:\.\d+)?)\s*['′m:\s]?\s*)?(?:(\d+(?:\.\d+)?)\s*(?:\"|″|''|s)?\s*)?"


def _dms_value(text: str) -> tuple[float, str | None]:
    import re

    t = text.strip().upper()
    hemi = None
    # degrees, minutes and seconds marked with letters ("39d12m00s"): that s marks the seconds, and
    # only a letter after it (or before the degrees) is the hemisphere
    lettered = re.fullmatch(r"([NSEW])?\s*(\d+(?:\.\d+)?\s*D\s*\d+(?:\.\d+)?\s*M\s*\d+(?:\.\d+)?)\s*S\s*([NSEW])?", t)
    m = lettered or re.fullmatch(r"([NSEW])?\s*(.*?)\s*([NSEW])?", t)
    if m:
        if m.group(1) and m.group(3):
            raise CoordinateError(f"cannot read {text.strip()!r} as degrees (two hemisphere letters)")
        hemi = m.group(1) or m.group(3)
        t = m.group(2)
    # a sign before the degrees, or after the seconds (as some tables write it), not both and nowhere else
    lead = t[:1] if t[:1] in ("-", "+") else ""
    trail = t[-1:] if len(t) > 1 and t[-1:] in ("-", "+") else ""
    t = t[len(lead):len(t) - len(trail)].strip()
    nums = re.findall(r"\d+(?:\.\d+)?", t)
    if not nums or len(nums) > 3 or (lead and trail) or re.sub(r"[\d.\s°'′\"″DMS:]", "", t):
        raise CoordinateError(f"cannot read {text.strip()!r} as degrees")
    vals = [float(n) for n in nums]
    sign = -1.0 if "-" in (lead, trail) else 1.0
    if len(vals) > 1 and not 0 <= vals[1] < 60 or len(vals) > 2 and not 0 <= vals[2] < 60:
        raise CoordinateError(f"minutes and seconds must be below 60 in {text.strip()!r}")
    value = vals[0] + (vals[1] / 60 if len(vals) > 1 else 0) + (vals[2] / 3600 if len(vals) > 2 else 0)
    if hemi in ("S", "W"):
        sign = -1.0
    return sign * value, hemi


def _band_of(compact: str) -> str:
    """The latitude band letter of a compact MGRS reference ("51SWJ..." -> "S")."""
    import re

    m = re.match(r"\d{1,2}([C-HJ-NP-X])", compact)
    return m.group(1) if m else compact[:1]


def parse_latlon(text: str) -> tuple[float, float]:
    """Read a position typed as decimal degrees ("39.2002, 125.6733", "39.2 N 125.67 E"),
    degrees-minutes-seconds ("39°12'00.7\" N, 125°40'23.9\" E") or MGRS ("51S VG 12345 67890").
    Latitude first, as people say it. Raises CoordinateError with a reason."""
    import re

    t = (text or "").strip()
    if not t:
        raise CoordinateError("no coordinate given")
    if len(t) > 100:
        raise CoordinateError("coordinate text is too long")
    compact = re.sub(r"\s+", "", t).upper()
    if re.fullmatch(r"(\d{1,2}[C-HJ-NP-X]|[ABYZ])[A-HJ-NP-Z]{2}(\d{2}|\d{4}|\d{6}|\d{8}|\d{10})", compact):
        import warnings

        import mgrs

        try:
            with warnings.catch_warnings():
                # (a latitude band that does not hold the point, "51S WJ ..." 400 km north of band
                # S: the library only warns, and the reference is a typing slip)
                warnings.simplefilter("error", RuntimeWarning)
                lat, lon = mgrs.MGRS().toLatLon(compact)
        except RuntimeWarning as e:
            raise CoordinateError(f"not a valid MGRS reference: {t} (the point is not in latitude band "
                                  f"{_band_of(compact)})") from e
        except Exception as e:  # the mgrs library raises bare errors for bad squares
            raise CoordinateError(f"not a valid MGRS reference: {t}") from e
        return float(lat), float(lon)
    first_error = None
    for parts in _splits(t):
        try:
            return _latlon_of(parts)
        except CoordinateError as e:
            first_error = first_error or e
    raise first_error or CoordinateError(f"cannot read {t!r}: give latitude and longitude, e.g. 39.2002, 125.6733")


def _splits(t: str) -> list[list[str]]:
    """The ways ``t`` may be cut into latitude and longitude, likeliest first: at a comma or
    semicolon; else at a space beside a hemisphere letter, those where both halves have theirs at
    the same end first ("39.2 N 125.6 E", "N 39 12 00 E 125 40 24" as GPS units write it, either
    way round); else two numbers apart."""
    import re

    parts = [p for p in re.split(r"\s*[,;]\s*", t) if p]
    if len(parts) == 2:
        return [parts]
    words = t.upper().split()
    same_end, other = [], []
    for k in range(1, len(words)):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        if left[-1] in _HEMIS or right[0] in _HEMIS:
            alike = (left[-1] in _HEMIS and right[-1] in _HEMIS) or (left[0] in _HEMIS and right[0] in _HEMIS)
            (same_end if alike else other).append([left, right])
    out = same_end + other
    if not out and len(words) == 2:
        out.append(t.split())
    return out


_HEMIS = "NSEW"


def _latlon_of(parts: list[str]) -> tuple[float, float]:
    lat, h1 = _dms_value(parts[0])
    lon, h2 = _dms_value(parts[1])
    if h1 in ("E", "W") or h2 in ("N", "S"):
        lat, lon = lon, lat  # written longitude first, with hemisphere letters saying so
    if not -90 <= lat <= 90:
        raise CoordinateError(f"latitude {lat:g} is outside -90..90")
    if not -180 <= lon <= 180:
        raise CoordinateError(f"longitude {lon:g} is outside -180..180")
    return lat, lon
