"""The scenario / project file: a GeoJSON FeatureCollection with SitMap's extras.

The format is documented in ``docs/file-format.md``. Reading validates the whole
document before anything is built from it, so a bad file can never leave a
half-loaded scenario behind: either a complete :class:`Scenario` comes back or a
:class:`ScenarioError` that names the file, the place in it and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from viewer.model.bulk import collector_paused
from viewer.model.rules import (  # noqa: F401 (the file format's public names)
    DERIVE_OPS,
    FEATURE_KINDS,
    FORMAT_VERSION,
    MARKER_SYMBOLS,
    MAX_FEATURES,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    MAX_VERTICES,
    PLACE_ROLES,
    STATUSES,
    Rules,
    ScenarioError,
    check_fact,
    check_feature,
    check_layers,
    check_sources,
    check_utc_offset,
    check_utc_time,
    check_view,
)
from viewer.model.quick_checks import plain_place, plain_shape
from viewer.model.json_read import (  # noqa: F401 (read as the file format is read)
    MAX_NESTING,
    BadConstant,
    LongInteger,
    decode_json,
    finite_float,
    lone_surrogate,
    nests_deeper,
    reject_constant,
)
from viewer.model.rules import _DROPPED_KEYS  # (what a feature's properties never store as they are)



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


def _read_feature(fid: str, kind: str, geometry: Mapping[str, Any], properties: Mapping[str, Any],
                  _new=object.__new__, _cls=Feature) -> Feature:
    """``Feature(fid, kind, geometry, properties)`` for a feature just checked, its fields set
    at once (a frozen dataclass sets each through object.__setattr__: a million features read,
    half a second)."""
    f = _new(_cls)
    d = f.__dict__
    d["id"] = fid
    d["kind"] = kind
    d["geometry"] = geometry
    d["properties"] = properties
    return f


@dataclass(frozen=True)
class LocalTime:
    """The map's local time: the offset and short name it keeps at the event (``+09:00 KST``), and
    the IANA zone they came from where SitMap knows it (``tz``; None: one fixed offset, as an older
    SitMap or another tool wrote it)."""

    utc_offset: timedelta
    zone: str
    tz: str | None = None

    def at(self, moment: datetime) -> tuple[timezone, str]:
        """The clock the map's local time keeps at ``moment``: its zone's offset and short name
        then (EST in January, EDT in July) where the zone is known, else the one fixed offset. The
        map's own name is kept wherever the offset is its own. OverflowError: off the calendar."""
        if self.tz is not None:
            from viewer.model.zone_clock import clock_at

            try:
                offset, name = clock_at(self.tz, moment)
            except KeyError:  # (a zone this computer has no rules for: the fixed offset)
                offset, name = self.utc_offset, self.zone
            if offset != self.utc_offset:
                return timezone(offset), name
        moment.astimezone(timezone(self.utc_offset))  # (OverflowError off the calendar, as with a zone)
        return timezone(self.utc_offset), self.zone

    def local(self, moment: datetime) -> tuple[datetime, str]:
        """``moment`` on the clock the map's local time keeps then (:meth:`at`), with that clock's
        short name. OverflowError: off the calendar."""
        clock, name = self.at(moment)
        return moment.astimezone(clock), name


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
    # The map's sources, each once: [{"id", "name", "url", "date", "note"}]; facts name them.
    sources_list: list[dict[str, Any]] = field(default_factory=list)
    banner: str = ""  # the default caveat / classification banner of its briefings

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
        """The value as shown: derived values computed, event times in UTC and the map's local
        time. A timed fact's own words are kept where they say more than its times: "06:42 KST,
        14 Oct 2025 (detected)" shows so, with the UTC time after it (and the map's local time,
        where they are in another zone)."""
        value = fact.value
        if fact.derive:
            value = derive_value(self, fact.derive)
        if fact.time_utc:
            utc = _times_text(fact.time_utc, _utc_clock)
            local = None
            if self.local_time is not None:
                try:
                    local = _times_text(fact.time_utc, self.local_time.at)
                except OverflowError:  # local time past 9999 or before year 1: UTC only
                    local = None
            own = " ".join(value.split())
            if local is not None and (not own or own == local):
                value = f"{local} ({utc})"
            elif local is not None and own.startswith(local):
                value = f"{own} ({utc})"
            elif local is not None:
                value = f"{own} ({local}; {utc})"
            else:
                value = f"{value} ({utc})" if value else utc
        return value

    def source_entry(self, name: str) -> dict[str, Any] | None:
        """The map's source of that name (the sources list), if it is listed."""
        for src in self.sources_list:
            if src["name"] == name:
                return src
        return None

    def source_citation(self, name: str) -> str:
        """How a source is cited in a briefing: its name, with its date when the list gives one."""
        entry = self.source_entry(name)
        if entry and entry.get("date"):
            return f"{name} ({entry['date']})"
        return name

    def sources(self) -> list[str]:
        """Distinct sources of facts and features, in first-seen order."""
        seen: dict[str, None] = {}
        for f in self.facts:
            if f.source:
                seen.setdefault(f.source, None)
        return list(seen)


def _utc_clock(_moment: datetime) -> tuple[timezone, str]:
    return timezone.utc, "UTC"


def _times_text(times: tuple[datetime, ...], clock: Callable[[datetime], tuple[timezone, str]]) -> str:
    """'08:50 and 08:54 KST, 17 Jan 2022': times on one day and one clock share the date and the
    zone's name; ``clock`` gives the offset and name at each time (EDT, then EST once summer time
    ends)."""
    by_day: dict[tuple[str, str], list[str]] = {}
    for t in times:
        tz, zone = clock(t)
        local = t.astimezone(tz)
        by_day.setdefault((f"{local.day} {local:%b %Y}", zone), []).append(f"{local:%H:%M}")
    parts = []
    for (day, zone), hours in by_day.items():
        joined = hours[0] if len(hours) == 1 else ", ".join(hours[:-1]) + " and " + hours[-1]
        parts.append(f"{joined} {zone}, {day}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- derived facts



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
    from viewer.model.geodesy import bearing_text, distance_bearing, format_distance
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
        if d == 0:
            return "0.00 km (the same place)"
        if d < 10_000:
            return f"{u['km']:.2f} km ({u['nmi']:.2f} nmi, {u['mi']:.2f} mi), bearing {bearing_text(az)}\u00b0"
        return f"{u['km']:,.0f} km ({u['nmi']:,.0f} nmi, {u['mi']:,.0f} mi), bearing {bearing_text(az)}\u00b0"
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
        from viewer.model.file_read import read_bytes_at_most

        raw = read_bytes_at_most(p, MAX_FILE_BYTES)
    except OSError as e:
        raise ScenarioError(name, "", f"cannot read the file ({e.strerror or e})") from None
    return parse_scenario_bytes(raw, name)


def parse_scenario_bytes(raw: bytes, source: str) -> Scenario:
    with collector_paused():  # a large file makes millions of small objects
        return _parse_scenario_bytes(raw, source)


def _parse_scenario_bytes(raw: bytes, source: str) -> Scenario:
    try:
        data = decode_json(raw)
    except UnicodeDecodeError as e:
        raise ScenarioError(source, f"byte {e.start}", "not UTF-8 text") from None
    except LongInteger as e:
        raise ScenarioError(source, "", str(e)) from None
    except BadConstant as e:
        raise ScenarioError(source, "", f"{e.args[0]} is not a valid JSON number") from None
    except json.JSONDecodeError as e:
        raise ScenarioError(source, f"line {e.lineno}, column {e.colno}", f"not valid JSON ({e.msg})") from None
    except RecursionError:
        raise ScenarioError(source, "", f"nesting deeper than {MAX_NESTING} levels") from None
    except ValueError as e:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(source, "", f"not valid JSON ({str(e).split(':')[0]})") from None
    where = lone_surrogate(data, raw)
    if where is not None:
        raise ScenarioError(source, where, "text holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)")
    return parse_decoded(data, source)


def parse_decoded(data: Any, source: str, notes: list[str] | None = None) -> Scenario:
    """A SitMap document just decoded for this call, its nesting not yet checked: all but its
    features at once, each feature as it is read. ``notes``: see :func:`parse_scenario`."""
    if nests_deeper(_without_features(data)):
        raise ScenarioError(source, "", f"nesting deeper than {MAX_NESTING} levels")
    with collector_paused():  # (as when it was decoded: millions of small objects)
        return parse_scenario(data, source, owned=True, nesting_checked=True, notes=notes)


def _without_features(data: Any) -> Any:
    """The document with its features list empty: parse_scenario checks each feature's nesting
    as it reads it (a plain place, the commonest feature of a large map, is known to be shallow)."""
    if type(data) is dict and type(data.get("features")) is list:
        return {**data, "features": []}
    return data


def _without_coordinates(f: Any) -> Any:
    """A feature as its nesting is looked at: without its geometry's coordinates, which the
    geometry checks read exactly, position by position, refusing anything deeper (and which are
    dropped where a ring's centre or a shape's vertices stand for them), and without the
    properties that are never stored as they are: a ring's centre and a shape's vertices (read
    exactly as the geometry, or dropped) and the style for other tools (dropped). The positions of
    100,000 lines and areas are not walked twice (0.3 s; as SitMap saves them, with their
    vertices beside, 0.7 s)."""
    if type(f) is dict:
        g, p = f.get("geometry"), f.get("properties")
        if type(g) is dict and "coordinates" in g:
            f = {**f, "geometry": {k: v for k, v in g.items() if k != "coordinates"}}
        if type(p) is dict and not _DROPPED_KEYS.isdisjoint(p):
            f = {**f, "properties": {k: v for k, v in p.items() if k not in _DROPPED_KEYS}}
    return f


def parse_scenario(data: Any, source: str = "<scenario>", *, owned: bool = False,
                   nesting_checked: bool = False, notes: list[str] | None = None, stored: bool = True) -> Scenario:
    """Validate a decoded GeoJSON document and build the scenario from it. ``owned``: ``data`` was
    decoded for this call alone (its objects may become the scenario's). ``nesting_checked``: the
    caller checked the nesting of all but the features, which are checked here. ``notes``, if
    given, gains a line for each thing left out rather than refused (for the open report).
    ``stored``: a map SitMap stored (:class:`Rules`); not another tool's features (their reader's)."""
    r = Rules(source, stored=stored)
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
    fields = check_meta(r, meta, notes)

    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        r.fail("features", "must be a list")
    if len(raw_features) > MAX_FEATURES:
        r.fail("features", f"more than {MAX_FEATURES:,} features")
    features: list[Feature] = []
    ids: set[str] = set()
    for i, f in enumerate(raw_features):
        got = plain_place(r, f, ids, owned)  # the commonest case, at once
        if got is None:
            got = plain_shape(r, f, ids, owned)  # a plain line or area, nearly at once
        if got is None:
            if nesting_checked and nests_deeper(_without_coordinates(f), MAX_NESTING - 2):  # (the document, its list)
                r.fail("", f"nesting deeper than {MAX_NESTING} levels")
            got = check_feature(r, f, f"features[{i}]", ids, owned=owned)
        fid, kind, geometry, props = got
        features.append(_read_feature(fid, kind, geometry, props))

    raw_facts = data.get("facts", [])
    if not isinstance(raw_facts, list):
        r.fail("facts", "must be a list")
    fact_ids: set[str] = set()
    facts = [Fact(**check_fact(r, fa, f"facts[{i}]", ids, fact_ids)) for i, fa in enumerate(raw_facts)]
    extra = {k: v for k, v in data.items() if k not in ("type", "features", "facts", "sitmap")}
    return Scenario(features=features, facts=facts, extra=extra, **fields)


META_FIELDS = ("title", "subtitle", "article", "event_time_utc", "local_time", "view", "groups", "layers",
               "sources_list", "banner")


def check_meta(r: Rules, meta: dict, notes: list[str] | None = None) -> dict[str, Any]:
    """The map's own fields (``sitmap`` member), as keyword arguments of ``Scenario``. What is
    left out rather than refused (a local time's zone not known here) is said in ``notes``."""
    title = r.text(meta.get("title"), "sitmap.title", default="Untitled map")
    if not title.strip():
        r.fail("sitmap.title", "a map needs a title")
    subtitle = r.text(meta.get("subtitle"), "sitmap.subtitle")
    article = r.text(meta.get("article"), "sitmap.article")
    event_time = None
    if meta.get("event_time_utc") is not None:
        event_time = check_utc_time(r, meta.get("event_time_utc"), "sitmap.event_time_utc")
    local_time = None
    if meta.get("local_time") is not None:
        lt = meta["local_time"]
        if not isinstance(lt, dict):
            r.fail("sitmap.local_time", "must be an object")
        local_time = LocalTime(
            check_utc_offset(r, lt.get("utc_offset"), "sitmap.local_time.utc_offset"),
            r.text(lt.get("zone"), "sitmap.local_time.zone", required=True),
            _zone_read(lt.get("tz"), notes),
        )
    view = check_view(r, meta.get("view", {}))
    groups: list[tuple[str, str]] = []
    raw_groups = meta.get("groups", [])
    if not isinstance(raw_groups, list):
        r.fail("sitmap.groups", "must be a list")
    for i, g in enumerate(raw_groups):
        if not isinstance(g, dict):
            r.fail(f"sitmap.groups[{i}]", "must be an object")
        groups.append((r.ident(g.get("id"), f"sitmap.groups[{i}].id"),
                       r.text(g.get("label"), f"sitmap.groups[{i}].label", required=True)))
    layers = check_layers(r, meta.get("layers", []))
    sources = check_sources(r, meta.get("sources", []))
    banner = r.text(meta.get("banner"), "sitmap.banner")[:200]
    return dict(title=title, subtitle=subtitle, article=article, event_time_utc=event_time, local_time=local_time,
                view=view, groups=groups, layers=layers, sources_list=sources, banner=banner)


def _zone_read(tz: Any, notes: list[str] | None) -> str | None:
    """The local time's IANA zone, if the file names one known here; else None, said in ``notes``
    (the map opens with the fixed offset, as a file without a zone does)."""
    from viewer.model.zone_clock import known_zone

    if tz is None or known_zone(tz):
        return tz
    if notes is not None:
        shown = " ".join(tz.split())[:40] if isinstance(tz, str) else type(tz).__name__
        notes.append(f"The local time's zone ({shown!r}) is no time zone known here: its local times "
                     "keep one offset all year")
    return None


# --------------------------------------------------------------------------- writing

def scenario_to_geojson(s: Scenario) -> dict[str, Any]:
    """The document to save; reading it back gives an equal scenario."""
    from viewer.model.geometry import prepare_many

    prepare_many(s.features)  # (each line and area carries its drawn shape for other tools)
    doc: dict[str, Any] = {"type": "FeatureCollection", "sitmap": meta_to_json(s),
                           "facts": [fact_to_json(f) for f in s.facts],
                           "features": [feature_to_json(f) for f in s.features]}
    doc.update(s.extra)
    return doc


def meta_to_json(s: Scenario) -> dict[str, Any]:
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
        if s.local_time.tz is not None:
            from viewer.model.zone_clock import known_zone

            if not known_zone(s.local_time.tz):
                raise ValueError(f"the local time's zone {str(s.local_time.tz)[:40]!r} is no time zone known here")
            meta["local_time"]["tz"] = s.local_time.tz
    if s.view:
        meta["view"] = dict(s.view)
    if s.layers:
        meta["layers"] = [dict(x) for x in s.layers]
    if s.groups:
        meta["groups"] = [{"id": g, "label": label} for g, label in s.groups]
    if s.article:
        meta["article"] = s.article
    if s.sources_list:
        meta["sources"] = [dict(x) for x in s.sources_list]
    if s.banner:
        meta["banner"] = s.banner
    return meta


def fact_to_json(f: Fact) -> dict[str, Any]:
    d: dict[str, Any] = {"id": f.id, "group": f.group, "label": f.label, "value": f.value,
                         "source": f.source, "status": f.status}
    if f.feature:
        d["feature"] = f.feature
    if f.time_utc:
        d["time_utc"] = [_iso(t) for t in f.time_utc]
    if f.derive:
        d["derive"] = dict(f.derive)
    return d


def model_json(f: Feature) -> dict[str, Any]:
    """A feature as the model holds it (a ring's centre and radius, a line's own vertices): what
    the reader reads back to the same feature, without the drawn shape and the style for other
    tools a saved file carries (the recovery base and journal: an import of 100,000 lines and
    areas would otherwise work out and write all their geodesics before it is acknowledged)."""
    return {"type": "Feature", "id": f.id, "geometry": f.geometry, "properties": {**f.properties, "kind": f.kind}}


def feature_to_json(f: Feature) -> dict[str, Any]:
    """A feature as saved: its drawn geometry and simplestyle, so QGIS, geojson.io and Google Earth
    show what SitMap shows, and what SitMap edits (a ring's centre, the user's vertices) beside."""
    from viewer.model.geometry import shape_of
    from viewer.model.style import simplestyle

    props = dict(f.properties)
    geometry: Any = f.geometry
    if f.kind == "range_ring":
        props["centre"] = list(f.geometry["coordinates"])
        geometry = shape_of(f).geojson
    elif f.kind in ("path", "area"):
        props["vertices"] = f.geometry["coordinates"]
        geometry = shape_of(f).geojson
    props.update(simplestyle(f))
    return {"type": "Feature", "id": f.id, "geometry": geometry, "properties": props}


def _iso(t: datetime) -> str:
    # isoformat, not strftime: years before 1000 keep four digits and seconds their fraction,
    # so the saved file reads back to the same time.
    if not isinstance(t, datetime):
        raise TypeError(f"a time must be a datetime, not {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:  # (read as the computer's own zone, it would move)
        raise ValueError("a time needs a zone (UTC, or a UTC offset)")
    try:
        utc = t.astimezone(timezone.utc)
    except OverflowError:  # (year 1 at UTC+14 is in year 0; 9999-12-31 at UTC-12 in year 10000)
        raise ValueError("a time must be within the years 1 to 9999 in UTC") from None
    return utc.replace(tzinfo=None).isoformat() + "Z"


def iter_points(s: Scenario) -> Iterable[tuple[str, float, float]]:
    for f in s.features:
        if f.geometry["type"] == "Point":
            lat, lon = f.latlon()
            yield f.id, lat, lon
