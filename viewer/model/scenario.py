"""The scenario / project file: a GeoJSON FeatureCollection with SitMap's extras.

The format is documented in ``docs/file-format.md``. Reading validates the whole
document before anything is built from it, so a bad file can never leave a
half-loaded scenario behind: either a complete :class:`Scenario` comes back or a
:class:`ScenarioError` that names the file, the place in it and the problem.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

FORMAT_VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_FEATURES = 200_000
MAX_VERTICES = 2_000_000
MAX_NESTING = 64

FEATURE_KINDS = ("place", "range_ring", "path", "area")
STATUSES = ("reported", "claimed", "derived", "estimated")
MARKER_SYMBOLS = ("marker", "launch", "impact", "station", "bridge", "city")
PLACE_ROLES = ("launch", "target_estimate", "impact", "crossing", "context", "marker", "label")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ScenarioError(ValueError):
    """A scenario file that cannot be used. ``str()`` is one line for a user."""

    def __init__(self, source: str, where: str, what: str):
        self.source = source
        self.where = where
        self.what = what
        loc = f" at {where}" if where else ""
        # One line whatever the file holds (a header cell or a file name may contain line breaks).
        super().__init__(_LINE_BREAKS_RE.sub(" ", f"{source}{loc}: {what}"))


_LINE_BREAKS_RE = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


@dataclass(frozen=True)
class Fact:
    id: str
    group: str
    label: str
    value: str
    source: str
    status: str
    feature: str | None = None
    time_utc: tuple[datetime, ...] = ()
    derive: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Feature:
    id: str
    kind: str
    geometry: Mapping[str, Any]
    properties: Mapping[str, Any]

    @property
    def name(self) -> str:
        return str(self.properties.get("name", "") or self.id)

    @property
    def status(self) -> str:
        return str(self.properties.get("status", "reported"))

    @property
    def source(self) -> str:
        return str(self.properties.get("source", ""))

    @property
    def role(self) -> str | None:
        r = self.properties.get("role")
        return str(r) if r is not None else None

    def latlon(self) -> tuple[float, float]:
        """(lat, lon) of a Point feature: the one place where GeoJSON's [lon, lat] is turned round."""
        if self.geometry.get("type") != "Point":
            raise TypeError(f"feature {self.id} is not a point")
        lon, lat = self.geometry["coordinates"][:2]
        return float(lat), float(lon)


@dataclass(frozen=True)
class LocalTime:
    utc_offset: timedelta
    zone: str


@dataclass
class Scenario:
    title: str
    features: list[Feature]
    facts: list[Fact]
    subtitle: str = ""
    event_time_utc: datetime | None = None
    local_time: LocalTime | None = None
    view: Mapping[str, Any] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)
    article: str = ""
    # Map layers as the analyst arranged them: [{"id", "label", "visible", "locked"}], top first.
    layers: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def feature(self, feature_id: str) -> Feature | None:
        for f in self.features:
            if f.id == feature_id:
                return f
        return None

    def facts_for(self, feature_id: str) -> list[Fact]:
        return [f for f in self.facts if f.feature == feature_id]

    def group_label(self, group_id: str) -> str:
        for gid, label in self.groups:
            if gid == group_id:
                return label
        return group_id.replace("_", " ").capitalize()

    def fact_display_value(self, fact: Fact) -> str:
        """The value as shown: derived values computed, event times in UTC and local time."""
        value = fact.value
        if fact.derive:
            value = derive_value(self, fact.derive)
        if fact.time_utc:
            utc = _times_text(fact.time_utc, timezone.utc, "UTC")
            if self.local_time is not None:
                local = _times_text(fact.time_utc, timezone(self.local_time.utc_offset), self.local_time.zone)
                value = f"{local} ({utc})"
            else:
                value = f"{value} ({utc})" if value else utc
        return value

    def sources(self) -> list[str]:
        """Distinct sources of facts and features, in first-seen order."""
        seen: dict[str, None] = {}
        for f in self.facts:
            if f.source:
                seen.setdefault(f.source, None)
        return list(seen)


def _times_text(times: tuple[datetime, ...], tz: timezone, zone: str) -> str:
    """'08:50 and 08:54 KST, 17 Jan 2022': times on one day share the date."""
    by_day: dict[str, list[str]] = {}
    for t in times:
        local = t.astimezone(tz)
        by_day.setdefault(f"{local.day} {local:%b %Y}", []).append(f"{local:%H:%M}")
    parts = []
    for day, hours in by_day.items():
        joined = hours[0] if len(hours) == 1 else ", ".join(hours[:-1]) + " and " + hours[-1]
        parts.append(f"{joined} {zone}, {day}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- derived facts

DERIVE_OPS = ("distance", "min_energy_apogee", "trajectory")


def derivation_formula(spec: Mapping[str, Any]) -> str:
    """How a derived value is computed, for the tooltip beside it."""
    from viewer.model.trajectory import DEPRESSED_BELOW, LOFTED_ABOVE, MIN_ENERGY_FORMULA

    op = spec.get("op")
    if op == "distance":
        return "Geodesic distance and initial bearing on the WGS84 ellipsoid (geographiclib Inverse)."
    if op == "min_energy_apogee":
        return f"Minimum-energy apogee: {MIN_ENERGY_FORMULA}, R = 6,371 km."
    if op == "trajectory":
        return (f"Reported apogee / minimum-energy apogee ({MIN_ENERGY_FORMULA}): below {DEPRESSED_BELOW} depressed, "
                f"above {LOFTED_ABOVE} lofted, otherwise nominal.")
    return ""


def flight_numbers(scenario: Scenario, path_id: str) -> tuple[float, float] | None:
    f = scenario.feature(path_id)
    if f is None:
        return None
    rng, apo = f.properties.get("reported_range_m"), f.properties.get("reported_apogee_m")
    if not rng or not apo:
        return None
    return float(rng), float(apo)


def derive_value(scenario: Scenario, spec: Mapping[str, Any]) -> str:
    from viewer.model.geodesy import distance_bearing, format_distance
    from viewer.model.trajectory import assess

    op = spec.get("op")
    if op == "distance":
        a = scenario.feature(str(spec.get("from")))
        b = scenario.feature(str(spec.get("to")))
        if a is None or b is None or a.geometry.get("type") != "Point" or b.geometry.get("type") != "Point":
            return "(cannot compute: missing point)"
        (la, lo), (lb, lob) = a.latlon(), b.latlon()
        d, az, _ = distance_bearing(la, lo, lb, lob)
        u = format_distance(d)
        if d < 10_000:
            return f"{u['km']:.2f} km ({u['nmi']:.2f} nmi, {u['mi']:.2f} mi), bearing {az:.0f}\u00b0"
        return f"{u['km']:,.0f} km ({u['nmi']:,.0f} nmi, {u['mi']:,.0f} mi), bearing {az:.0f}\u00b0"
    if op in ("min_energy_apogee", "trajectory"):
        numbers = flight_numbers(scenario, str(spec.get("path")))
        if numbers is None:
            return "(cannot compute: the path has no reported range and apogee)"
        a = assess(*numbers)
        if op == "min_energy_apogee":
            return f"About {a.min_energy_apogee_m / 1000:.0f} km for {a.range_m / 1000:,.0f} km range"
        return (f"{a.kind.capitalize()}: the reported {a.apogee_m / 1000:,.0f} km apogee is {a.ratio:.2f} \u00d7 "
                f"the minimum-energy {a.min_energy_apogee_m / 1000:,.0f} km")
    return f"(unknown derivation {op!r})"


# --------------------------------------------------------------------------- reading

def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file. Raises :class:`ScenarioError` only."""
    p = Path(path)
    name = p.name or str(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ScenarioError(name, "", "file not found") from None
    except OSError as e:
        raise ScenarioError(name, "", f"cannot read the file ({e.strerror or e})") from None
    if p.is_dir():
        raise ScenarioError(name, "", "is a folder, not a file")
    if size > MAX_FILE_BYTES:
        raise ScenarioError(name, "", f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ScenarioError(name, "", f"cannot read the file ({e.strerror or e})") from None
    return parse_scenario_bytes(raw, name)


def parse_scenario_bytes(raw: bytes, source: str) -> Scenario:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ScenarioError(source, f"byte {e.start}", "not UTF-8 text") from None
    _check_nesting(text, source)
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except _BadConstant as e:
        raise ScenarioError(source, "", f"{e.args[0]} is not a valid JSON number") from None
    except json.JSONDecodeError as e:
        raise ScenarioError(source, f"line {e.lineno}, column {e.colno}", f"not valid JSON ({e.msg})") from None
    except RecursionError:
        raise ScenarioError(source, "", "nesting too deep") from None
    except ValueError as e:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(source, "", f"not valid JSON ({str(e).split(':')[0]})") from None
    where = lone_surrogate(data, text)
    if where is not None:
        raise ScenarioError(source, where, "text holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)")
    return parse_scenario(data, source)


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str):
    raise _BadConstant(name)


def _finite_float(text: str) -> float:
    """1e999 is valid JSON but no finite number: refused like Infinity (it could not be saved back)."""
    f = float(text)
    if not math.isfinite(f):
        raise _BadConstant(text[:40])
    return f


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def lone_surrogate(data: Any, text: str) -> str | None:
    """Where decoded JSON holds a lone surrogate (from a \\uD800 escape), which no UTF-8 file can hold."""
    if "\\u" not in text and "\\U" not in text:
        return None
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE_RE.search(value):
                return where or "top level"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE_RE.search(k):
                    return where or "top level"
                stack.append((v, f"{where}.{k[:40]}" if where else k[:40]))
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))
    return None


def _check_nesting(text: str, source: str) -> None:
    depth = 0
    deepest = 0
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise ScenarioError(source, "", f"nesting deeper than {MAX_NESTING} levels")
        elif ch in "]}":
            depth -= 1


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.vertices = 0

    def fail(self, where: str, what: str):
        raise ScenarioError(self.source, where, what)

    def text(self, value: Any, where: str, *, required: bool = False, default: str = "") -> str:
        if value is None:
            if required:
                self.fail(where, "is missing")
            return default
        if not isinstance(value, str):
            self.fail(where, f"must be text, not {_type_name(value)}")
        if len(value) > MAX_TEXT_CHARS:
            self.fail(where, f"text longer than {MAX_TEXT_CHARS} characters")
        if "\x00" in value:
            self.fail(where, "contains a NUL character")
        return value

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _ID_RE.match(value):
            shown = value if isinstance(value, (str, int, float)) else _type_name(value)
            self.fail(where, f"id {str(shown)[:40]!r} must be 1-128 letters, digits or . _ : - (starting with a letter or digit)")
        return value

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"must be a number, not {_type_name(value)}")
        f = float(value)
        if not math.isfinite(f):
            self.fail(where, "must be a finite number")
        return f

    def position(self, value: Any, where: str) -> list[float]:
        if not isinstance(value, list) or len(value) < 2 or len(value) > 3:
            self.fail(where, "a position must be [longitude, latitude]")
        lon = self.number(value[0], f"{where}[0]")
        lat = self.number(value[1], f"{where}[1]")
        if not -90.0 <= lat <= 90.0:
            self.fail(where, f"latitude {lat:g} is outside -90..90 (positions are [longitude, latitude])")
        if not -180.0 <= lon <= 180.0:
            self.fail(where, f"longitude {lon:g} is outside -180..180")
        self.vertices += 1
        if self.vertices > MAX_VERTICES:
            self.fail(where, f"more than {MAX_VERTICES:,} vertices")
        return [lon, lat] + ([self.number(value[2], f"{where}[2]")] if len(value) == 3 else [])

    def positions(self, value: Any, where: str, minimum: int) -> list[list[float]]:
        if not isinstance(value, list):
            self.fail(where, f"must be a list of positions, not {_type_name(value)}")
        if len(value) < minimum:
            self.fail(where, f"needs at least {minimum} positions, has {len(value)}")
        return [self.position(v, f"{where}[{i}]") for i, v in enumerate(value)]

    def geometry(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "geometry is missing or not an object")
        gtype = value.get("type")
        coords = value.get("coordinates")
        if gtype == "Point":
            return {"type": "Point", "coordinates": self.position(coords, f"{where}.coordinates")}
        if gtype == "LineString":
            return {"type": "LineString", "coordinates": self.positions(coords, f"{where}.coordinates", 2)}
        if gtype == "Polygon":
            if not isinstance(coords, list) or not coords:
                self.fail(f"{where}.coordinates", "a polygon needs at least one ring")
            rings = [self.positions(r, f"{where}.coordinates[{i}]", 4) for i, r in enumerate(coords)]
            for i, ring in enumerate(rings):
                if ring[0][:2] != ring[-1][:2]:
                    self.fail(f"{where}.coordinates[{i}]", "ring is not closed (first and last positions differ)")
            self._check_polygon(rings, where)
            return {"type": "Polygon", "coordinates": rings}
        self.fail(f"{where}.type", f"geometry type {str(gtype)[:40]!r} is not supported (Point, LineString, Polygon)")
        raise AssertionError  # unreachable

    def _check_polygon(self, rings: list[list[list[float]]], where: str) -> None:
        from shapely.geometry import Polygon
        from shapely.validation import explain_validity

        poly = Polygon([tuple(p[:2]) for p in rings[0]], [[tuple(p[:2]) for p in r] for r in rings[1:]])
        if not poly.is_valid:
            self.fail(where, f"invalid polygon ({explain_validity(poly)})")


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number" if isinstance(v, (int, float)) else type(v).__name__
    )


def parse_scenario(data: Any, source: str = "<scenario>") -> Scenario:
    """Validate a decoded GeoJSON document and build the scenario from it."""
    from viewer.model.geodesy import EARTH_ANTIPODAL_M

    r = _Reader(source)
    if not isinstance(data, dict):
        r.fail("", "the file must hold a JSON object (a GeoJSON FeatureCollection)")
    if data.get("type") != "FeatureCollection":
        r.fail("type", 'must be "FeatureCollection"')
    meta = data.get("sitmap", {})
    if not isinstance(meta, dict):
        r.fail("sitmap", "must be an object")
    version = meta.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        r.fail("sitmap.version", "must be a whole number")
    if version > FORMAT_VERSION:
        r.fail("sitmap.version", f"version {version} is newer than this SitMap understands ({FORMAT_VERSION})")
    title = r.text(meta.get("title"), "sitmap.title", default="Untitled scenario")
    subtitle = r.text(meta.get("subtitle"), "sitmap.subtitle")
    article = r.text(meta.get("article"), "sitmap.article")
    event_time = None
    if meta.get("event_time_utc") is not None:
        event_time = _utc_time(r, meta.get("event_time_utc"), "sitmap.event_time_utc")
    local_time = None
    if meta.get("local_time") is not None:
        lt = meta["local_time"]
        if not isinstance(lt, dict):
            r.fail("sitmap.local_time", "must be an object")
        local_time = LocalTime(
            _utc_offset(r, lt.get("utc_offset"), "sitmap.local_time.utc_offset"),
            r.text(lt.get("zone"), "sitmap.local_time.zone", required=True),
        )
    view = _view(r, meta.get("view", {}))
    groups: list[tuple[str, str]] = []
    raw_groups = meta.get("groups", [])
    if not isinstance(raw_groups, list):
        r.fail("sitmap.groups", "must be a list")
    for i, g in enumerate(raw_groups):
        if not isinstance(g, dict):
            r.fail(f"sitmap.groups[{i}]", "must be an object")
        groups.append((r.ident(g.get("id"), f"sitmap.groups[{i}].id"), r.text(g.get("label"), f"sitmap.groups[{i}].label", required=True)))

    layers = []
    raw_layers = meta.get("layers", [])
    if not isinstance(raw_layers, list) or len(raw_layers) > 1000:
        r.fail("sitmap.layers", "must be a list (at most 1,000 layers)")
    for i, lay in enumerate(raw_layers):
        where = f"sitmap.layers[{i}]"
        if not isinstance(lay, dict):
            r.fail(where, "must be an object")
        entry = {"id": r.ident(lay.get("id"), f"{where}.id"),
                 "label": r.text(lay.get("label"), f"{where}.label")[:200]}
        for key in ("visible", "locked"):
            v = lay.get(key, key == "visible")
            if not isinstance(v, bool):
                r.fail(f"{where}.{key}", "must be true or false")
            entry[key] = v
        layers.append(entry)

    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        r.fail("features", "must be a list")
    if len(raw_features) > MAX_FEATURES:
        r.fail("features", f"more than {MAX_FEATURES:,} features")
    features: list[Feature] = []
    ids: set[str] = set()
    for i, f in enumerate(raw_features):
        where = f"features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            r.fail(where, 'each feature must be an object with "type": "Feature"')
        props = f.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            r.fail(f"{where}.properties", "must be an object")
        fid = f.get("id", props.get("id"))
        if fid is None:
            r.fail(f"{where}.id", "every feature needs a stable id")
        fid = r.ident(fid, f"{where}.id")
        where = f"features[{i}] (id {fid})"
        if fid in ids:
            r.fail(where, f"duplicate id {fid!r}")
        ids.add(fid)
        geometry = r.geometry(f.get("geometry"), f"{where}.geometry")
        props = _properties(r, props, geometry, where, EARTH_ANTIPODAL_M)
        features.append(Feature(fid, props["kind"], geometry, props))

    raw_facts = data.get("facts", [])
    if not isinstance(raw_facts, list):
        r.fail("facts", "must be a list")
    facts: list[Fact] = []
    fact_ids: set[str] = set()
    for i, fa in enumerate(raw_facts):
        where = f"facts[{i}]"
        if not isinstance(fa, dict):
            r.fail(where, "must be an object")
        fact_id = r.ident(fa.get("id"), f"{where}.id")
        where = f"facts[{i}] (id {fact_id})"
        if fact_id in fact_ids:
            r.fail(where, f"duplicate fact id {fact_id!r}")
        fact_ids.add(fact_id)
        status = r.text(fa.get("status"), f"{where}.status", required=True)
        if status not in STATUSES:
            r.fail(f"{where}.status", f"status {status[:40]!r} must be one of {', '.join(STATUSES)}")
        feature_ref = fa.get("feature")
        if feature_ref is not None:
            feature_ref = r.ident(feature_ref, f"{where}.feature")
            if feature_ref not in ids:
                r.fail(f"{where}.feature", f"no feature with id {feature_ref!r}")
        times: tuple[datetime, ...] = ()
        if fa.get("time_utc") is not None:
            tv = fa["time_utc"]
            tv = tv if isinstance(tv, list) else [tv]
            times = tuple(_utc_time(r, t, f"{where}.time_utc") for t in tv[:16])
        derive = fa.get("derive")
        if derive is not None:
            if not isinstance(derive, dict) or derive.get("op") not in DERIVE_OPS:
                r.fail(f"{where}.derive", f"op must be one of {', '.join(DERIVE_OPS)}")
            refs = ("from", "to") if derive["op"] == "distance" else ("path",)
            for key in refs:
                ref = r.ident(derive.get(key), f"{where}.derive.{key}")
                if ref not in ids:
                    r.fail(f"{where}.derive.{key}", f"no feature with id {ref!r}")
        facts.append(Fact(
            id=fact_id,
            group=r.ident(fa.get("group", "context"), f"{where}.group"),
            label=r.text(fa.get("label"), f"{where}.label", required=True),
            value=r.text(fa.get("value"), f"{where}.value"),
            source=r.text(fa.get("source"), f"{where}.source", required=True),
            status=status,
            feature=feature_ref,
            time_utc=times,
            derive=dict(derive) if derive else None,
        ))
    extra = {k: v for k, v in data.items() if k not in ("type", "features", "facts", "sitmap")}
    return Scenario(title=title, subtitle=subtitle, features=features, facts=facts, event_time_utc=event_time,
                    local_time=local_time, view=view, groups=groups, article=article, layers=layers, extra=extra)


def _properties(r: _Reader, props: dict, geometry: dict, where: str, antipodal_m: float) -> dict[str, Any]:
    out = dict(props)
    kind = props.get("kind", "place" if geometry["type"] == "Point" else
                     "path" if geometry["type"] == "LineString" else "area")
    if kind not in FEATURE_KINDS:
        r.fail(f"{where}.properties.kind", f"kind {str(kind)[:40]!r} must be one of {', '.join(FEATURE_KINDS)}")
    out["kind"] = kind
    expected = {"place": "Point", "range_ring": "Point", "path": "LineString", "area": "Polygon"}[kind]
    if geometry["type"] != expected:
        r.fail(f"{where}.geometry", f"a {kind} needs a {expected} geometry, not {geometry['type']}")
    for key in ("name", "notes", "source", "basis", "name_local", "label"):
        if key in props:
            out[key] = r.text(props[key], f"{where}.properties.{key}")
    status = props.get("status", "reported")
    if status not in STATUSES:
        r.fail(f"{where}.properties.status", f"status {str(status)[:40]!r} must be one of {', '.join(STATUSES)}")
    out["status"] = status
    if "role" in props:
        role = r.text(props["role"], f"{where}.properties.role")
        if role not in PLACE_ROLES:
            r.fail(f"{where}.properties.role", f"role {role[:40]!r} must be one of {', '.join(PLACE_ROLES)}")
    if kind == "range_ring":
        radius = r.number(props.get("radius_m"), f"{where}.properties.radius_m")
        if radius <= 0:
            r.fail(f"{where}.properties.radius_m", "a ring's radius must be greater than 0 m")
        if radius > antipodal_m:
            r.fail(f"{where}.properties.radius_m",
                   f"radius {radius / 1000:,.0f} km is beyond the antipodal distance ({antipodal_m / 1000:,.0f} km)")
        out["radius_m"] = radius
    for key in ("reported_range_m", "reported_apogee_m"):
        if key in props:
            v = r.number(props[key], f"{where}.properties.{key}")
            if not 0 < v < antipodal_m:
                r.fail(f"{where}.properties.{key}", "must be greater than 0 and less than the antipodal distance")
            out[key] = v
    if "uncertainty_m" in props:
        u = r.number(props["uncertainty_m"], f"{where}.properties.uncertainty_m")
        if u < 0 or u > antipodal_m:
            r.fail(f"{where}.properties.uncertainty_m", "must be between 0 and the antipodal distance")
        out["uncertainty_m"] = u
    if "style" in props:
        style = props["style"]
        if not isinstance(style, dict):
            r.fail(f"{where}.properties.style", "must be an object")
        clean: dict[str, Any] = {}
        for key, val in style.items():
            if key in ("color", "fill_color"):
                if not isinstance(val, str) or not _COLOUR_RE.match(val):
                    r.fail(f"{where}.properties.style.{key}", "colour must look like #RRGGBB")
                clean[key] = val
            elif key in ("weight", "opacity", "fill_opacity"):
                num = r.number(val, f"{where}.properties.style.{key}")
                if not 0 <= num <= (20 if key == "weight" else 1):
                    r.fail(f"{where}.properties.style.{key}", "out of range")
                clean[key] = num
            elif key == "dash":
                if val not in ("solid", "dashed", "dotted"):
                    r.fail(f"{where}.properties.style.dash", "must be solid, dashed or dotted")
                clean[key] = val
            elif key == "symbol":
                if val not in MARKER_SYMBOLS:
                    r.fail(f"{where}.properties.style.symbol", f"must be one of {', '.join(MARKER_SYMBOLS)}")
                clean[key] = val
        out["style"] = clean
    return out


def _utc_time(r: _Reader, value: Any, where: str) -> datetime:
    text = r.text(value, where, required=True)
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        r.fail(where, f"{text[:40]!r} is not an ISO 8601 time such as 2022-01-16T23:50:00Z")
    if t.tzinfo is None:
        r.fail(where, "time needs a zone (end it with Z for UTC)")
    try:
        return t.astimezone(timezone.utc)
    except OverflowError:
        r.fail(where, f"{text[:40]!r} is outside the years 1..9999 in UTC")
    raise AssertionError  # unreachable


def _utc_offset(r: _Reader, value: Any, where: str) -> timedelta:
    text = r.text(value, where, required=True)
    m = re.fullmatch(r"([+-])(\d{2}):(\d{2})", text)
    if not m or int(m.group(2)) > 14 or int(m.group(3)) >= 60:
        r.fail(where, "must look like +09:00")
    sign = 1 if m.group(1) == "+" else -1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))


def _view(r: _Reader, view: Any) -> dict[str, Any]:
    if not isinstance(view, dict):
        r.fail("sitmap.view", "must be an object")
    out: dict[str, Any] = {}
    if "bounds" in view:
        b = view["bounds"]
        if not (isinstance(b, list) and len(b) == 2 and all(isinstance(c, list) and len(c) == 2 for c in b)):
            r.fail("sitmap.view.bounds", "must be [[south, west], [north, east]]")
        (s, w), (n, e) = [[r.number(v, "sitmap.view.bounds") for v in c] for c in b]
        if not (-90 <= s < n <= 90) or not (-540 <= w < e <= 540):
            r.fail("sitmap.view.bounds", "south must be below north and west left of east, within the world")
        out["bounds"] = [[s, w], [n, e]]
    if "center" in view:
        c = view["center"]
        if not (isinstance(c, list) and len(c) == 2):
            r.fail("sitmap.view.center", "must be [latitude, longitude]")
        lat, lon = (r.number(v, "sitmap.view.center") for v in c)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            r.fail("sitmap.view.center", "must be [latitude, longitude] within the world")
        out["center"] = [lat, lon]
    if "zoom" in view:
        z = r.number(view["zoom"], "sitmap.view.zoom")
        if not 0 <= z <= 18:
            r.fail("sitmap.view.zoom", "must be between 0 and 18")
        out["zoom"] = z
    return out


# --------------------------------------------------------------------------- writing

def scenario_to_geojson(s: Scenario) -> dict[str, Any]:
    """The document to save; reading it back gives an equal scenario."""
    meta: dict[str, Any] = {"version": FORMAT_VERSION, "title": s.title}
    if s.subtitle:
        meta["subtitle"] = s.subtitle
    if s.event_time_utc is not None:
        meta["event_time_utc"] = _iso(s.event_time_utc)
    if s.local_time is not None:
        secs = int(s.local_time.utc_offset.total_seconds())
        sign = "+" if secs >= 0 else "-"
        secs = abs(secs)
        meta["local_time"] = {"utc_offset": f"{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}", "zone": s.local_time.zone}
    if s.view:
        meta["view"] = dict(s.view)
    if s.layers:
        meta["layers"] = [dict(x) for x in s.layers]
    if s.groups:
        meta["groups"] = [{"id": g, "label": label} for g, label in s.groups]
    if s.article:
        meta["article"] = s.article
    facts = []
    for f in s.facts:
        d: dict[str, Any] = {"id": f.id, "group": f.group, "label": f.label, "value": f.value,
                             "source": f.source, "status": f.status}
        if f.feature:
            d["feature"] = f.feature
        if f.time_utc:
            d["time_utc"] = [_iso(t) for t in f.time_utc]
        if f.derive:
            d["derive"] = dict(f.derive)
        facts.append(d)
    features = [{"type": "Feature", "id": f.id, "geometry": f.geometry, "properties": dict(f.properties)}
                for f in s.features]
    doc: dict[str, Any] = {"type": "FeatureCollection", "sitmap": meta, "facts": facts, "features": features}
    doc.update(s.extra)
    return doc


def _iso(t: datetime) -> str:
    # isoformat, not strftime: years before 1000 keep four digits and seconds their fraction,
    # so the saved file reads back to the same time.
    return t.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + "Z"


def iter_points(s: Scenario) -> Iterable[tuple[str, float, float]]:
    for f in s.features:
        if f.geometry["type"] == "Point":
            lat, lon = f.latlon()
            yield f.id, lat, lon
