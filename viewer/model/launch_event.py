"""A launch event from its reported numbers: the spec, its checks and the scenario it makes.

``build_launch_event(spec)`` produces what the built-in 17 January 2022 scenario shows, for any
launch: the launch point with its uncertainty, a geodesic range ring per reported range, the
estimated flight path (a geodesic at the reported or estimated bearing), the estimated impact
area (range ± spread, bearing ± spread) and the facts, each with its source and status. Derived
facts (minimum-energy apogee, trajectory, distances to places) are computed when shown, through
the ``derive`` operations of :mod:`viewer.model.scenario`.

Pure Python: no Qt, no folium. The "New launch event" wizard and the article drafter both build
a :class:`LaunchEventSpec` and hand it here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence

from viewer.model.geodesy import EARTH_ANTIPODAL_M, bearing_text, destination, distance_bearing
from viewer.model.launch_geometry import flight_path_vertices, impact_area_ring
from viewer.model.launch_geometry import rounded as _r
from viewer.model.scenario import MAX_TEXT_CHARS, STATUSES, Fact, Feature, LocalTime, Scenario
from viewer.model.zone_clock import STANDARD_OFFSETS, known_zone, offset_text

__all__ = [
    "LaunchEventError",
    "LaunchSite",
    "LaunchTime",
    "ReportedValue",
    "Bearing",
    "Attributed",
    "ContextPlace",
    "LaunchEventSpec",
    "COMPASS_POINTS",
    "compass_bearing",
    "build_launch_event",
    "impact_area_ring",
]

#: Default range spread when none is given: 10 km or 3 % of the range, whichever is larger.
DEFAULT_RANGE_SPREAD_M = 10_000.0
DEFAULT_RANGE_SPREAD_FRACTION = 0.03
#: Ranges must leave room for the trajectory model (half the Earth's circumference).
MAX_RANGE_M = 19_000_000.0
#: Foreign member of the file that holds where each fact and feature comes from in the article:
#: {"facts": {fact id: [[start, end], ...]}, "features": {feature id: [[start, end], ...]}},
#: offsets in characters (Unicode code points) of the article text. See docs/file-format.md.
EVIDENCE_MEMBER = "sitmap_evidence"

#: Compass words to (bearing, spread either side). An 8-point word covers 45 degrees, so the spread
#: is half of that; "north-northeast" and friends narrow it to 11.25.
COMPASS_POINTS: dict[str, float] = {
    "north": 0.0, "north-northeast": 22.5, "northeast": 45.0, "east-northeast": 67.5,
    "east": 90.0, "east-southeast": 112.5, "southeast": 135.0, "south-southeast": 157.5,
    "south": 180.0, "south-southwest": 202.5, "southwest": 225.0, "west-southwest": 247.5,
    "west": 270.0, "west-northwest": 292.5, "northwest": 315.0, "north-northwest": 337.5,
}
_ABBREVIATIONS = {"n": "north", "nne": "north-northeast", "ne": "northeast", "ene": "east-northeast",
                  "e": "east", "ese": "east-southeast", "se": "southeast", "sse": "south-southeast",
                  "s": "south", "ssw": "south-southwest", "sw": "southwest", "wsw": "west-southwest",
                  "w": "west", "wnw": "west-northwest", "nw": "northwest", "nnw": "north-northwest"}


class LaunchEventError(ValueError):
    """A launch-event spec that cannot be built; ``str()`` is one line for the user."""


def _fail(what: str) -> None:
    raise LaunchEventError(re.sub(r"[\r\n\v\f\x85\u2028\u2029]+", " ", what))


def _number(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
            above: float | None = None) -> float:
    if isinstance(value, bool):
        _fail(f"{name} must be a number, not true/false")
    try:
        v = float(value)
    except (TypeError, ValueError):
        _fail(f"{name} must be a number, not {str(value)[:40]!r}")
    except OverflowError:  # (an integer too large for a float)
        _fail(f"{name} must be a finite number")
    if not math.isfinite(v):
        _fail(f"{name} must be a finite number")
    if above is not None and not v > above:
        _fail(f"{name} must be greater than {above:g}, not {v:g}")
    if minimum is not None and v < minimum:
        _fail(f"{name} must be at least {minimum:g}, not {v:g}")
    if maximum is not None and v > maximum:
        _fail(f"{name} must be at most {maximum:g}, not {v:g}")
    return v


def _text(name: str, value, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(f"{name} must be text")
    if "\x00" in value:
        _fail(f"{name} contains a NUL character")
    if len(value) > MAX_TEXT_CHARS:
        _fail(f"{name} is longer than {MAX_TEXT_CHARS:,} characters")
    if required and not value.strip():
        _fail(f"{name} is empty")
    return value.strip()


def _status(name: str, value: str) -> str:
    if value not in STATUSES:
        _fail(f"{name} {str(value)[:40]!r} must be one of {', '.join(STATUSES)}")
    return value


# --------------------------------------------------------------------------- the spec

@dataclass(frozen=True)
class LaunchSite:
    """Where the launch was, as placed on the map (an estimate unless a source gives coordinates)."""

    lat: float
    lon: float
    name: str
    uncertainty_m: float = 0.0
    source: str = ""
    status: str = "estimated"
    wording: str = ""  # how the report put it, e.g. "near Pyongyang"
    notes: str = ""
    evidence: tuple[tuple[int, int], ...] = ()  # character spans in the article it comes from
    wording_status: str = "reported"  # the status of the wording's source ("claimed" for the launching state)


@dataclass(frozen=True)
class LaunchTime:
    """One or more launch times on the same clock.

    ``values`` are naive wall-clock times in ``zone`` (an IANA name such as ``Asia/Pyongyang`` or
    ``UTC``), or aware datetimes. With ``precision="day"`` only the date counts: the map keeps the
    whole local day as the uncertainty and shows no time of day.
    """

    values: tuple[datetime, ...]
    zone: str = "UTC"
    precision: str = "minute"  # "minute" or "day"
    source: str = ""
    status: str = "reported"
    evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ReportedValue:
    """A number someone reported, in metres, with its source and status."""

    metres: float
    source: str
    status: str = "reported"
    wording: str = ""  # e.g. "About 380 km (about 240 mi)"; made from the number when empty
    evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Bearing:
    """Direction of flight: a bearing (degrees from true north) and how far either side it may be."""

    degrees: float
    minus_deg: float = 0.0
    plus_deg: float = 0.0
    source: str = ""
    status: str = "estimated"
    wording: str = ""  # e.g. "fired east"
    wording_source: str = ""  # who gave the wording, when the bearing itself comes from elsewhere
    wording_status: str = "reported"
    evidence: tuple[tuple[int, int], ...] = ()

    @classmethod
    def around(cls, degrees: float, spread_deg: float, **kw) -> "Bearing":
        return cls(degrees, spread_deg, spread_deg, **kw)

    @classmethod
    def from_compass(cls, word: str, **kw) -> "Bearing":
        degrees, spread = compass_bearing(word)
        kw.setdefault("wording", word)
        return cls(degrees, spread, spread, **kw)


@dataclass(frozen=True)
class Attributed:
    """A value in words with its source: a count, a missile system, a claim."""

    value: str
    source: str
    status: str = "reported"
    label: str = ""
    evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ContextPlace:
    """A place the map shows for orientation; the launch point's distance to it is a derived fact."""

    id: str
    name: str
    lat: float
    lon: float
    source: str = ""
    status: str = "reported"
    role: str = "context"
    notes: str = ""
    distance_fact: bool = True
    evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class LaunchEventSpec:
    title: str
    site: LaunchSite
    time: LaunchTime | None = None
    ranges: tuple[ReportedValue, ...] = ()
    apogee: ReportedValue | None = None
    bearing: Bearing | None = None
    range_spread_m: float | None = None  # None: DEFAULT_RANGE_SPREAD_M or 3 %, whichever is larger
    count: Attributed | None = None
    system: tuple[Attributed, ...] = ()
    subtitle: str = ""
    article: str = ""
    places: tuple[ContextPlace, ...] = ()
    extra_facts: tuple[Fact, ...] = ()  # facts about the event that need no geometry (reactions ...)
    # where in the article each extra fact comes from: fact id -> character spans
    extra_evidence: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()


def compass_bearing(word: str) -> tuple[float, float]:
    """("east" | "E" | "north-east" | "northeastward") -> (bearing, spread either side)."""
    w = re.sub(r"[\s_]+", "-", (word or "").strip().casefold())
    w = re.sub(r"(ward|wards|erly)$", "", w)
    w = _ABBREVIATIONS.get(w, w)
    # "north-east" -> "northeast", but keep the hyphen of "east-northeast"
    for a in ("north", "south"):
        for b in ("east", "west"):
            w = w.replace(f"{a}-{b}", f"{a}{b}")
    if w not in COMPASS_POINTS:
        _fail(f"{word[:40]!r} is not a compass direction (north, east-northeast, SE ...)")
    spread = 22.5 if w in ("north", "south", "east", "west", "northeast", "southeast", "southwest",
                           "northwest") else 11.25
    return COMPASS_POINTS[w], spread


# --------------------------------------------------------------------------- checks

def _check(spec: LaunchEventSpec) -> None:
    if not isinstance(spec, LaunchEventSpec):
        _fail("a launch event needs a LaunchEventSpec")
    _text("Title", spec.title, required=True)
    _text("Subtitle", spec.subtitle)
    _text("Article", spec.article)
    s = spec.site
    _number("Launch site latitude", s.lat, minimum=-90, maximum=90)
    _number("Launch site longitude", s.lon, minimum=-180, maximum=180)
    _text("Launch site name", s.name, required=True)
    _text("Launch site source", s.source)
    _text("Launch site wording", s.wording)
    _text("Launch site notes", s.notes)
    _number("Launch site uncertainty", s.uncertainty_m, minimum=0, maximum=EARTH_ANTIPODAL_M)
    _status("Launch site status", s.status)
    _status("Launch area wording status", s.wording_status)
    if spec.time is not None:
        t = spec.time
        if t.precision not in ("minute", "day"):
            _fail(f"launch time precision {str(t.precision)[:20]!r} must be minute or day")
        if not t.values:
            _fail("a launch time needs at least one value")
        if len(t.values) > 16:
            _fail("at most 16 launch times")
        _zone(t.zone)
        _text("Launch time source", t.source)
        _status("Launch time status", t.status)
        for v in t.values:
            if not isinstance(v, datetime):
                _fail(f"launch time {str(v)[:40]!r} is not a date and time")
            _to_utc(v, t.zone)  # raises for times that leave years 1..9999
    if len(spec.ranges) > 32:
        _fail("at most 32 reported ranges")
    for i, r in enumerate(spec.ranges):
        _number(f"Reported range {i + 1}", r.metres, above=0, maximum=MAX_RANGE_M)
        _text(f"Source of range {i + 1}", r.source, required=True)
        _status(f"Status of range {i + 1}", r.status)
        _text(f"Wording of range {i + 1}", r.wording)
    if spec.apogee is not None:
        _number("Reported apogee", spec.apogee.metres, above=0, maximum=EARTH_ANTIPODAL_M)
        _text("Source of the apogee", spec.apogee.source, required=True)
        _status("Status of the apogee", spec.apogee.status)
    if spec.bearing is not None:
        b = spec.bearing
        _number("Bearing", b.degrees, minimum=-360, maximum=720)
        _number("Bearing spread (minus)", b.minus_deg, minimum=0, maximum=179)
        _number("Bearing spread (plus)", b.plus_deg, minimum=0, maximum=179)
        if b.minus_deg + b.plus_deg >= 360:
            _fail("bearing spreads cover the whole circle")
        _text("Bearing source", b.source)
        _status("Bearing status", b.status)
        _text("Direction wording", b.wording)
        _status("Direction wording status", b.wording_status)
    if spec.range_spread_m is not None:
        _number("Range spread", spec.range_spread_m, minimum=0, maximum=MAX_RANGE_M)
    for a in ((spec.count,) if spec.count else ()) + tuple(spec.system):
        _text("Value", a.value, required=True)
        _text("Source", a.source, required=True)
        _status("Status", a.status)
    ids = set()
    for p in spec.places:
        _text("Place name", p.name, required=True)
        _number(f"Latitude of {p.name[:40]}", p.lat, minimum=-90, maximum=90)
        _number(f"Longitude of {p.name[:40]}", p.lon, minimum=-180, maximum=180)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}", p.id or "") or p.id in ids or p.id in _RESERVED_IDS:
            _fail(f"place id {str(p.id)[:40]!r} is not a free, valid id")
        ids.add(p.id)
        _status(f"Status of {p.name[:40]}", p.status)


_RESERVED_IDS = {"launch-point", "flight-path", "impact-area"}


def _zone(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name in ("UTC", "Z", "GMT"):
        return timezone.utc
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-/]{0,63}", name or ""):
        _fail(f"time zone {str(name)[:40]!r} is not a zone name such as Asia/Seoul or UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(f"unknown time zone {name[:40]!r}")


def _to_utc(value: datetime, zone: str) -> datetime:
    tz = _zone(zone)
    v = value if value.tzinfo is not None else value.replace(tzinfo=tz)
    try:
        out = v.astimezone(timezone.utc)
        # the local day's end must exist too (day precision keeps the whole day)
        (out + timedelta(days=1)).astimezone(tz)
    except (OverflowError, ValueError):
        _fail(f"launch time {value.isoformat()[:40]} is outside the years 1..9999")
    if not 1 <= out.year <= 9999:
        _fail("launch time is outside the years 1..9999")
    return out


# --------------------------------------------------------------------------- geometry

def default_range_spread(range_m: float) -> float:
    return max(DEFAULT_RANGE_SPREAD_M, DEFAULT_RANGE_SPREAD_FRACTION * range_m)


def _km_text(metres: float) -> str:
    km = metres / 1000.0
    mi = metres / 1609.344
    km_s = f"{km:,.0f}" if km >= 10 else f"{km:,.1f}"
    mi_s = f"{mi:,.0f}" if mi >= 10 else f"{mi:,.1f}"
    return f"About {km_s} km (about {mi_s} mi)"


def _ring_name(metres: float, status: str) -> str:
    """"380 km reported range", "800 km claimed range", "0.5 km reported range": the figure as
    given (a small one with its decimals) and who stands behind it (its status)."""
    km = metres / 1000.0
    word = status if status in ("reported", "claimed", "estimated", "derived") else "reported"
    return f"{km:,.0f} km {word} range" if km >= 10 else f"{km:,.3g} km {word} range"


def _slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:60] or "x"


# --------------------------------------------------------------------------- the builder

def _estimate_source(range_source: str, direction_source: str | None) -> str:
    """Whose figures the impact area was worked out from: a source that gave both is named once."""
    if direction_source and direction_source == range_source:
        return f"SitMap estimate from {range_source} range and direction"
    return f"SitMap estimate from {range_source} range" + (f" and {direction_source} direction" if direction_source else "")


def build_launch_event(spec: LaunchEventSpec) -> Scenario:
    """The scenario for a launch event. Raises :class:`LaunchEventError` (one line) for a bad spec."""
    _check(spec)
    s = spec.site
    lat, lon = float(s.lat), float(s.lon)
    features: list[Feature] = []
    facts: list[Fact] = []
    groups: list[tuple[str, str]] = [("launch", "Launch"), ("flight", "Flight"), ("target", "Target")]
    ev_facts: dict[str, list[list[int]]] = {}
    ev_features: dict[str, list[list[int]]] = {}

    def cite(table: dict, key: str, spans) -> None:
        for a, b in spans or ():
            table.setdefault(key, []).append([int(a), int(b)])

    site_source = s.source or "Analyst placement"
    launch_props = {"kind": "place", "role": "launch", "name": f"Launch point ({s.name})",
                    "label": f"Launch ({s.name})", "source": site_source, "status": s.status,
                    "uncertainty_m": float(s.uncertainty_m)}
    notes = s.notes or (f"The report says {s.wording!r}." if s.wording else "")
    if notes:
        launch_props["notes"] = notes
    features.append(Feature("launch-point", "place", {"type": "Point", "coordinates": [_r(lon), _r(lat)]},
                            launch_props))
    cite(ev_features, "launch-point", s.evidence)
    unc = f", \u00b1 {s.uncertainty_m / 1000:,.0f} km" if s.uncertainty_m >= 1000 else (
        f", \u00b1 {s.uncertainty_m:,.0f} m" if s.uncertainty_m > 0 else "")
    facts.append(Fact("launch-point", "launch", "Launch point on this map",
                      f"{abs(lat):.4f}\u00b0 {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}\u00b0 {'E' if lon >= 0 else 'W'}{unc}",
                      site_source, s.status, "launch-point"))
    if s.wording:
        facts.append(Fact("launch-area", "launch", "Launch area", s.wording[:1].upper() + s.wording[1:],
                          s.source or site_source, s.wording_status, "launch-point"))
        cite(ev_facts, "launch-area", s.evidence)

    event_time, local_time = None, None
    if spec.time is not None:
        event_time, local_time, fact = _time_fact(spec.time)
        facts.insert(0, fact)
        cite(ev_facts, fact.id, spec.time.evidence)
    if spec.count is not None:
        c = spec.count
        facts.append(Fact("launch-count", "launch", c.label or "Missiles fired", c.value, c.source, c.status,
                          "launch-point"))
        cite(ev_facts, "launch-count", c.evidence)
    for i, a in enumerate(spec.system):
        facts.append(Fact(f"type-{i + 1}", "launch", a.label or "Type", a.value, a.source, a.status, "launch-point"))
        cite(ev_facts, f"type-{i + 1}", a.evidence)

    ring_ids: list[str] = []
    for r in spec.ranges:
        rid = f"ring-{r.metres / 1000:g}km".replace(".", "_")
        while rid in ring_ids:
            rid += "-b"
        ring_ids.append(rid)
        features.append(Feature(rid, "range_ring", {"type": "Point", "coordinates": [_r(lon), _r(lat)]}, {
            "kind": "range_ring", "name": _ring_name(r.metres, r.status), "radius_m": float(r.metres),
            "centre_feature": "launch-point",
            "notes": "Geodesic circle (WGS84) of the reported range, around the launch point.",
            "source": r.source, "status": r.status}))
        facts.append(Fact(f"range-{rid[5:]}", "flight", "Range flown", r.wording or _km_text(r.metres),
                          r.source, r.status, rid))
        cite(ev_facts, f"range-{rid[5:]}", r.evidence)
        cite(ev_features, rid, r.evidence)

    primary = spec.ranges[0] if spec.ranges else None
    if spec.apogee is not None:
        facts.append(Fact("apogee", "flight", "Apogee", spec.apogee.wording or f"About {spec.apogee.metres / 1000:,.0f} km",
                          spec.apogee.source, spec.apogee.status,
                          "flight-path" if primary and spec.bearing else None))
        cite(ev_facts, "apogee", spec.apogee.evidence)
    b = spec.bearing
    if b is not None and b.wording:
        facts.append(Fact("direction", "flight", "Direction", b.wording[:1].upper() + b.wording[1:],
                          b.wording_source or b.source or "Report", b.wording_status,
                          "flight-path" if primary else "launch-point"))
        cite(ev_facts, "direction", b.evidence)

    if primary is not None and b is not None:
        bearing = b.degrees % 360.0
        path = flight_path_vertices(lat, lon, bearing, primary.metres)
        if path:
            sources = (f"{primary.source} (range and direction)" if b.source == primary.source else
                       f"{primary.source} (range)" + (f"; {b.source} (direction)" if b.source else ""))
            props = {"kind": "path", "name": "Flight path (estimated)", "arrow": True,
                     "notes": (f"Geodesic from the launch point, {primary.metres / 1000:,.0f} km at a bearing of "
                               f"{bearing:.0f} degrees; an estimate, not a track."),
                     "source": sources, "status": "estimated", "reported_range_m": float(primary.metres)}
            if spec.apogee is not None:
                props["reported_apogee_m"] = float(spec.apogee.metres)
            features.append(Feature("flight-path", "path", {"type": "LineString", "coordinates": path}, props))
            cite(ev_features, "flight-path", tuple(primary.evidence) + tuple(b.evidence))
            facts.append(Fact("bearing", "flight", "Bearing used on this map",
                              f"About {bearing_text(bearing)}\u00b0 from the launch point"
                              + (f" ({bearing_text(bearing - b.minus_deg)}\u00b0\u2013{bearing_text(bearing + b.plus_deg)}\u00b0)"
                                 if b.minus_deg or b.plus_deg else ""),
                              b.source or "Analyst estimate", b.status, "flight-path"))
            if spec.apogee is not None:
                facts.append(Fact("min-energy", "flight", "Minimum-energy apogee", "",
                                  f"SitMap, from the {primary.source} range", "derived", "flight-path",
                                  derive={"op": "min_energy_apogee", "path": "flight-path"}))
                both = (f"the {primary.source} range and apogee" if spec.apogee.source == primary.source else
                        f"the {primary.source} range and the {spec.apogee.source} apogee")
                facts.append(Fact("trajectory", "flight", "Trajectory", "",
                                  f"SitMap, from {both}", "derived", "flight-path",
                                  derive={"op": "trajectory", "path": "flight-path"}))
            spread = spec.range_spread_m if spec.range_spread_m is not None else default_range_spread(primary.metres)
            r_in = max(0.0, min(r.metres for r in spec.ranges) - spread)
            r_out = max(r.metres for r in spec.ranges) + spread
            b_from, b_to = bearing - b.minus_deg, bearing + b.plus_deg
            ring = None
            if r_out > r_in and b_to > b_from and r_out < EARTH_ANTIPODAL_M * 0.99:
                ring = impact_area_ring(lat, lon, r_in, r_out, b_from, b_to)
            if ring is not None:
                basis = (f"{primary.metres / 1000:,.0f} km \u00b1 {spread / 1000:,.0f} km from the launch point, "
                         f"bearing {bearing_text(b_from)}\u00b0\u2013{bearing_text(b_to)}\u00b0")
                if len(spec.ranges) > 1:
                    basis = (f"{r_in / 1000:,.0f}\u2013{r_out / 1000:,.0f} km from the launch point, "
                             f"bearing {bearing_text(b_from)}\u00b0\u2013{bearing_text(b_to)}\u00b0")
                features.append(Feature("impact-area", "area", {"type": "Polygon", "coordinates": [ring]}, {
                    "kind": "area", "role": "target_estimate", "name": "Estimated impact area", "basis": basis,
                    "notes": "From the reported range and direction; an estimate, not a reported location.",
                    "source": _estimate_source(primary.source, b.source), "status": "estimated"}))
                facts.append(Fact("impact-estimate", "target", "Impact area on this map", basis.replace(
                    "from the launch point, bearing", "from the launch point at bearings"),
                    _estimate_source(primary.source, b.source), "estimated", "impact-area"))

    for p in spec.places:
        features.append(Feature(p.id, "place", {"type": "Point", "coordinates": [_r(p.lon), _r(p.lat)]}, {
            "kind": "place", "role": p.role, "name": p.name, "source": p.source or "Gazetteer",
            "status": p.status, **({"notes": p.notes} if p.notes else {})}))
        cite(ev_features, p.id, p.evidence)
        if p.distance_fact:
            facts.append(Fact(f"dist-{p.id}"[:128], "flight", f"Launch point to {p.name}", "",
                              "SitMap, geodesic on WGS84", "derived", p.id,
                              derive={"op": "distance", "from": "launch-point", "to": p.id}))

    facts.extend(spec.extra_facts)
    for fid, spans in spec.extra_evidence:
        cite(ev_facts, fid, spans)
    # A fact about a feature that could not be drawn (an impact area round a pole) points at the
    # launch point instead; a derived fact without its feature is dropped.
    ids = {f.id for f in features}
    facts = [f if f.feature is None or f.feature in ids else Fact(
        f.id, f.group, f.label, f.value, f.source, f.status, "launch-point", f.time_utc, f.derive)
        for f in facts if not (f.derive and not all(v in ids for k, v in f.derive.items() if k != "op"))]
    known_groups = {g for g, _ in groups}
    for f in spec.extra_facts:
        if f.group not in known_groups:
            groups.append((f.group, f.group.replace("_", " ").capitalize()))
            known_groups.add(f.group)
    groups = [g for g in groups if any(f.group == g[0] for f in facts)]
    extra = {}
    fact_ids, feature_ids = {f.id for f in facts}, {f.id for f in features}
    ev_facts = {k: v for k, v in ev_facts.items() if k in fact_ids}
    ev_features = {k: v for k, v in ev_features.items() if k in feature_ids}
    if ev_facts or ev_features:
        extra[EVIDENCE_MEMBER] = {"facts": ev_facts, "features": ev_features}
    return Scenario(title=spec.title.strip(), subtitle=spec.subtitle.strip(), features=features, facts=facts,
                    event_time_utc=event_time, local_time=local_time, view=_view(features), groups=groups,
                    article=spec.article.strip(), extra=extra)


def _time_fact(t: LaunchTime) -> tuple[datetime | None, LocalTime | None, Fact]:
    tz = _zone(t.zone)
    utcs = tuple(_to_utc(v, t.zone) for v in t.values)
    first_local = utcs[0].astimezone(tz)
    abbrev = first_local.tzname() or t.zone
    if re.fullmatch(r"[+-]\d+", abbrev):  # zoneinfo gives "+09" for zones without an abbreviation
        abbrev = f"UTC{abbrev}"
    offset = first_local.utcoffset() or timedelta(0)
    # the file keeps whole minutes (+09:00); old local mean times have seconds (LMT +08:27:52)
    offset = timedelta(minutes=round(offset.total_seconds() / 60))
    if STANDARD_OFFSETS.get(abbrev, offset) != offset:
        # (the time zone database names Pyongyang's UTC+08:30 of 2015-2018 "KST", which readers take
        # as Seoul's UTC+9: such a time is labelled by its offset)
        abbrev = f"UTC{offset_text(offset)}"
    local = LocalTime(offset, abbrev, t.zone if known_zone(t.zone) else None)  # (with its zone: other times)
    if t.precision == "minute":
        locals_ = [u.astimezone(tz) for u in utcs]
        by_day: dict[str, list[str]] = {}
        for lt in locals_:
            by_day.setdefault(f"{lt.day} {lt:%b %Y}", []).append(f"{lt:%H:%M}")
        parts = []
        for day, hours in by_day.items():
            joined = hours[0] if len(hours) == 1 else ", ".join(hours[:-1]) + " and " + hours[-1]
            parts.append(f"{joined} {abbrev}, {day}")
        return utcs[0], local, Fact("launch-time", "launch", "Launch time" + ("s" if len(utcs) > 1 else ""),
                                     "; ".join(parts), t.source or "Report", t.status, "launch-point", utcs)
    # Day precision: the whole local day, in local time and in UTC; no time of day.
    days = sorted({u.astimezone(tz).date() for u in utcs})
    texts = []
    for d in days:
        start = datetime.combine(d, time(0), tz).astimezone(timezone.utc)
        end = datetime.combine(d + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
        texts.append(f"{d:%A} {d.day} {d:%B %Y} {abbrev} (time of day not reported: between "
                     f"{_utc_text(start)} and {_utc_text(end)} UTC)")
    return None, local, Fact("launch-day", "launch", "Launch day", "; ".join(texts), t.source or "Report",
                             t.status, "launch-point")


def _utc_text(t: datetime) -> str:
    return f"{t.day} {t:%b} {t:%H:%M}"


def local_day_bounds_utc(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a local calendar day."""
    tz = _zone(zone)
    return (datetime.combine(day, time(0), tz).astimezone(timezone.utc),
            datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc))


def _view(features: Sequence[Feature]) -> dict:
    """Opening view: the launch point, rings and places with a margin (rings included by their radius)."""
    lats: list[float] = []
    lons: list[float] = []
    lat0, lon0 = None, None
    for f in features:
        g = f.geometry
        if g["type"] == "Point":
            lo, la = g["coordinates"][:2]
            if f.kind == "range_ring":
                r = float(f.properties["radius_m"])
                if r > 3_000_000:
                    continue
                for b in (0, 90, 180, 270):
                    la2, lo2 = destination(la, lo, b, r)
                    lats.append(la2)
                    lons.append(lo2 + 360.0 * round((lo - lo2) / 360.0))
            lats.append(la)
            lons.append(lo)
            if f.id == "launch-point":
                lat0, lon0 = la, lo
        elif g["type"] == "LineString":
            for lo, la in g["coordinates"]:
                lats.append(la)
                lons.append(lo)
        elif g["type"] == "Polygon":
            for lo, la in g["coordinates"][0]:
                lats.append(la)
                lons.append(lo)
    if not lats:
        return {}
    s, n = min(lats), max(lats)
    w, e = min(lons), max(lons)
    pad_lat = max(0.5, (n - s) * 0.08)
    pad_lon = max(0.5, (e - w) * 0.08)
    s, n = max(-85.0, s - pad_lat), min(85.0, n + pad_lat)
    w, e = max(-540.0, w - pad_lon), min(540.0, e + pad_lon)
    if not (s < n and w < e):
        if lat0 is None:
            return {}
        return {"center": [lat0, lon0], "zoom": 5}
    return {"bounds": [[round(s, 4), round(w, 4)], [round(n, 4), round(e, 4)]]}


def distance_to(spec: LaunchEventSpec, lat: float, lon: float) -> float:
    """Geodesic distance from the spec's launch site to a point (metres)."""
    return distance_bearing(spec.site.lat, spec.site.lon, lat, lon)[0]
