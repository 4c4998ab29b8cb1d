"""The rules every stored map obeys: one validator, shared by the file reader and the document.

Whatever passes these rules can be written and read back; the reader applies them to a file,
the document to every change before it is stored. Errors are :class:`ScenarioError`, one line.
"""

from __future__ import annotations

import math
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

from viewer.model import numeric

FORMAT_VERSION = 2  # 2: features carry their drawn geometry; edit data in properties
MAX_FILE_BYTES = 512 * 1024 * 1024  # a million annotations with names and sources is about 250 MB
MAX_TEXT_CHARS = 20_000
MAX_FEATURES = 1_500_000
MAX_VERTICES = 5_000_000
# The smallest ring or uncertainty circle (a centimetre): below a micrometre or so, the circle's
# tolerance is finer than its coordinates can say, and drawing it would not end.
MIN_RADIUS_M = 0.01

FEATURE_KINDS = ("place", "range_ring", "path", "area")
STATUSES = ("reported", "claimed", "derived", "estimated")
MARKER_SYMBOLS = ("marker", "launch", "impact", "station", "bridge", "city")
PLACE_ROLES = ("launch", "target_estimate", "impact", "crossing", "context", "marker", "label")
_PLACE_ROLE_SET = frozenset(PLACE_ROLES)
_STATUS_SET = frozenset(STATUSES)
_CANONICAL = {s: s for s in FEATURE_KINDS + STATUSES + PLACE_ROLES}  # one string each, for all features
TEXT_KEYS = ("name", "notes", "source", "basis", "name_local", "label")  # kept as text
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

class Rules:
    """Checks values against the file format's rules, naming the place of the first problem."""

    def __init__(self, source: str, stored: bool = False):
        self.source = source
        self.vertices = 0
        # Reading a map SitMap stored (its own file, its recovery journal): what an earlier version
        # let a map hold and no longer lets a change make (a line of one place, an area round a
        # pole without a corner on it) is read as it was, so that every map saved reopens.
        self.stored = stored

    def fail(self, where: str, what: str):
        raise ScenarioError(self.source, where, what)

    def text(self, value: Any, where: str, *, required: bool = False, default: str = "") -> str:
        if plain_text(value):
            return value  # the common case, checked at once
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
        if type(value) is float and -math.inf < value < math.inf:
            return value  # the common case, checked at once
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"must be a number, not {_type_name(value)}")
        try:
            f = float(value)
        except OverflowError:
            self.fail(where, "number too large")
        if not math.isfinite(f):
            self.fail(where, "must be a finite number")
        return f

    def plain_position(self, value: Any) -> list[float] | None:
        """The common case, a [longitude, latitude] of plain numbers in range, checked at once
        (a 100,000-point file has 100,000 of them), or None: :meth:`position` names the problem.
        Its callers build the place of a problem only when there is one."""
        if type(value) is list and len(value) == 2 and self.vertices < MAX_VERTICES:
            lon, lat = value
            if type(lon) in _PLAIN_NUMBERS and type(lat) in _PLAIN_NUMBERS and -180 <= lon <= 180 and -90 <= lat <= 90:
                self.vertices += 1
                return [float(lon), float(lat)]
        return None

    def position(self, value: Any, where: str) -> list[float]:
        plain = self.plain_position(value)
        if plain is not None:
            return plain
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
        out = []
        for i, v in enumerate(value):
            pos = self.plain_position(v)
            out.append(pos if pos is not None else self.position(v, f"{where}[{i}]"))
        return out

    def geometry(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "geometry is missing or not an object")
        gtype = value.get("type")
        coords = value.get("coordinates")
        if gtype == "Point":
            pos = self.plain_position(coords)
            return {"type": "Point", "coordinates": pos if pos is not None else self.position(coords, f"{where}.coordinates")}
        if gtype == "LineString":
            line = self.positions(coords, f"{where}.coordinates", 2)
            if not self.stored and one_place(line):
                self.fail(f"{where}.coordinates", "a line needs two different points (all its points are one place)")
            return {"type": "LineString", "coordinates": line}
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
        from viewer.model.simple_ring import valid_polygon  # (not for a file's first read: the start-up's)

        shell, *holes = [unwrapped_ring(r) for r in rings]
        # Its closing corner a whole turn east or west of its first: it goes round a pole. Only a
        # ring that runs along the pole itself (a corner at 90 degrees: a cap, as a world's
        # Antarctica is drawn) is an area so; any other would be drawn as the band between its
        # corners and a parallel, not the region round the pole.
        round_a_pole = goes_round(shell)
        if round_a_pole and not self.stored and not any(abs(y) == 90.0 for _x, y in shell):
            self._round_a_pole(where)
        # (no Polygon object: 50,000 areas are read at once; no shapely at all for a small map's)
        if valid_polygon(shell, holes):
            return
        if round_a_pole:
            self._round_a_pole(where)
        numeric.load()
        import shapely

        self.fail(where, f"invalid polygon ({shapely.is_valid_reason(shapely.Polygon(shell, holes or None))})")

    def _round_a_pole(self, where: str) -> None:
        # (an "invalid polygon" still: a file's is repaired where that keeps its shape, io.checked)
        self.fail(where, "invalid polygon: an area that goes round a pole cannot be kept; draw it as two "
                         "areas, each less than half-way round, or as a range ring centred on the pole")


def one_place(positions: list) -> bool:
    """Whether every position of a line is at its first's place (a line of no length)."""
    first = positions[0][:2]
    return all(p[:2] == first for p in positions)


def goes_round(shell: list) -> bool:
    """Whether an unwrapped ring (:func:`unwrapped_ring`) closes a whole turn east or west of where
    it began: it goes round a pole."""
    return abs(shell[-1][0] - shell[0][0]) > 180.0


_PLAIN_NUMBERS = (int, float)  # not bool, not an int subclass: those take the full checks


def plain_text(value: Any) -> bool:
    """Text as stored, as it is (the common case, checked at once; :meth:`Rules.text` names a problem)."""
    return type(value) is str and len(value) <= MAX_TEXT_CHARS and "\x00" not in value


def _source_once(props: dict) -> None:
    """Many features, a few sources: each source text kept once."""
    source = props.get("source")
    if type(source) is str and len(source) <= 200:
        props["source"] = sys.intern(source)


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number" if isinstance(v, (int, float)) else type(v).__name__
    )


def unwrapped_ring(ring: list[list[float]]) -> list[tuple[float, float]]:
    """(lon, lat) with each longitude moved by 360 to follow the short way from the previous
    vertex, as the drawn geodesic edges do: an area across the antimeridian stays one shape."""
    out: list[tuple[float, float]] = []
    put = out.append
    previous = None
    for p in ring:
        lon = float(p[0])
        if previous is not None and abs(lon - previous) > 180.0:  # (else as it is, exactly)
            from viewer.model.coords import unwrap_lon

            lon = unwrap_lon(lon, previous)
        put((lon, float(p[1])))
        previous = lon
    return out


# Keys the writer adds for other tools (drawn geometry's edit data, simplestyle); the reader
# takes the edit data back and drops the rest, which is always recomputed from the style.
EDIT_KEYS = ("centre", "vertices")
SIMPLESTYLE_KEYS = ("stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity", "marker-color",
                    "marker-symbol", "marker-size")


_DROPPED_KEYS = frozenset(EDIT_KEYS + SIMPLESTYLE_KEYS)


def check_feature(r: Rules, raw: Any, where: str, ids: set[str], *,
                  owned: bool = False) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    """One feature as stored: (id, kind, edit geometry, properties). ``ids`` gains the id.
    ``owned``: ``raw`` was decoded for this call alone, so its properties object is completed in
    place instead of copied (100,000 fewer dicts held while a file is read)."""
    from viewer.model.geodesy import EARTH_ANTIPODAL_M

    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        r.fail(where, 'each feature must be an object with "type": "Feature"')
    props = raw.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        r.fail(f"{where}.properties", "must be an object")
    fid = raw.get("id", props.get("id"))
    if fid is None:
        r.fail(f"{where}.id", "every feature needs a stable id")
    if type(fid) is not str or not _ID_RE.match(fid):
        fid = r.ident(fid, f"{where}.id")
    where = f"{where} (id {fid})"
    if fid in ids:
        r.fail(where, f"duplicate id {fid!r}")
    geometry = _edit_geometry(r, raw.get("geometry"), props, where)
    if not _DROPPED_KEYS.isdisjoint(props):
        props = {k: v for k, v in props.items() if k not in _DROPPED_KEYS}
        owned = True
    props = check_properties(r, props, geometry, where, EARTH_ANTIPODAL_M, owned=owned)
    ids.add(fid)
    return fid, props["kind"], geometry, props


def _edit_geometry(r: Rules, geometry: Any, props: dict, where: str) -> dict[str, Any]:
    """The geometry SitMap edits. A saved ring, path or area carries its drawn shape as the
    GeoJSON geometry (for other tools) and the centre or the user's vertices in its properties."""
    kind = props.get("kind")
    if kind == "range_ring" and "centre" in props:
        if not isinstance(geometry, dict):
            r.fail(f"{where}.geometry", "geometry is missing or not an object")
        return {"type": "Point", "coordinates": r.position(props["centre"], f"{where}.properties.centre")}
    if kind in ("path", "area") and "vertices" in props:
        if not isinstance(geometry, dict):
            r.fail(f"{where}.geometry", "geometry is missing or not an object")
        gtype = "LineString" if kind == "path" else "Polygon"
        return r.geometry({"type": gtype, "coordinates": props["vertices"]}, f"{where}.properties.vertices")
    return r.geometry(geometry, f"{where}.geometry")


FACT_KEYS = ("id", "group", "label", "value", "source", "status", "feature", "time_utc", "derive")


def check_fact(r: Rules, raw: Any, where: str, feature_ids: set[str], fact_ids: set[str]) -> dict[str, Any]:
    """One fact as stored, as the keyword arguments of ``Fact``. ``fact_ids`` gains its id."""
    if not isinstance(raw, dict):
        r.fail(where, "must be an object")
    fact_id = r.ident(raw.get("id"), f"{where}.id")
    where = f"{where} (id {fact_id})"
    if fact_id in fact_ids:
        r.fail(where, f"duplicate fact id {fact_id!r}")
    status = r.text(raw.get("status"), f"{where}.status", required=True)
    if status not in STATUSES:
        r.fail(f"{where}.status", f"status {status[:40]!r} must be one of {', '.join(STATUSES)}")
    feature_ref = raw.get("feature")
    if feature_ref is not None:
        feature_ref = r.ident(feature_ref, f"{where}.feature")
        if feature_ref not in feature_ids:
            r.fail(f"{where}.feature", f"no feature with id {feature_ref!r}")
    times: tuple[datetime, ...] = ()
    if raw.get("time_utc") is not None:
        tv = raw["time_utc"]
        tv = tv if isinstance(tv, list) else [tv]
        if len(tv) > 16:
            r.fail(f"{where}.time_utc", "at most 16 times")
        times = tuple(check_utc_time(r, t, f"{where}.time_utc") for t in tv)
    derive = raw.get("derive")
    if derive is not None:
        if not isinstance(derive, dict) or derive.get("op") not in DERIVE_OPS:
            r.fail(f"{where}.derive", f"op must be one of {', '.join(DERIVE_OPS)}")
        refs = ("from", "to") if derive["op"] == "distance" else ("path",)
        for key in refs:
            ref = r.ident(derive.get(key), f"{where}.derive.{key}")
            if ref not in feature_ids:
                r.fail(f"{where}.derive.{key}", f"no feature with id {ref!r}")
        derive = {k: derive[k] for k in ("op",) + refs}
    label = r.text(raw.get("label"), f"{where}.label", required=True)
    if not label.strip():
        r.fail(f"{where}.label", "a fact needs a label")
    source = r.text(raw.get("source"), f"{where}.source", required=True)
    if not source.strip():
        r.fail(f"{where}.source", "every fact needs its source")
    fact_ids.add(fact_id)
    return dict(
        id=fact_id,
        group=r.ident(raw.get("group", "context"), f"{where}.group"),
        label=label,
        value=r.text(raw.get("value"), f"{where}.value"),
        source=source,
        status=status,
        feature=feature_ref,
        time_utc=times,
        derive=derive or None,
    )


DERIVE_OPS = ("distance", "min_energy_apogee", "trajectory")


def check_layers(r: Rules, raw_layers: Any) -> list[dict[str, Any]]:
    layers = []
    if not isinstance(raw_layers, list) or len(raw_layers) > 1000:
        r.fail("sitmap.layers", "must be a list (at most 1,000 layers)")
    seen: set[str] = set()
    for i, lay in enumerate(raw_layers):
        where = f"sitmap.layers[{i}]"
        if not isinstance(lay, dict):
            r.fail(where, "must be an object")
        entry = {"id": r.ident(lay.get("id"), f"{where}.id"),
                 "label": r.text(lay.get("label"), f"{where}.label")[:200]}
        if entry["id"] in seen:
            r.fail(f"{where}.id", f"duplicate layer id {entry['id']!r}")
        seen.add(entry["id"])
        for key in ("visible", "locked"):
            v = lay.get(key, key == "visible")
            if not isinstance(v, bool):
                r.fail(f"{where}.{key}", "must be true or false")
            entry[key] = v
        layers.append(entry)
    return layers


SOURCE_KEYS = ("id", "name", "url", "date", "note")
_URL_RE = re.compile(r"^(https?://|doi:|urn:)[^\s<>\"']{1,2000}$", re.I)


def check_sources(r: Rules, raw: Any) -> list[dict[str, Any]]:
    """The map's list of sources: each once, with an optional link (http, https, doi, urn), date and note."""
    if not isinstance(raw, list) or len(raw) > 10_000:
        r.fail("sitmap.sources", "must be a list (at most 10,000 sources)")
    out = []
    ids: set[str] = set()
    names: set[str] = set()
    for i, src in enumerate(raw):
        where = f"sitmap.sources[{i}]"
        if not isinstance(src, dict):
            r.fail(where, "must be an object")
        sid = r.ident(src.get("id"), f"{where}.id")
        if sid in ids:
            r.fail(f"{where}.id", f"duplicate source id {sid!r}")
        name = r.text(src.get("name"), f"{where}.name", required=True).strip()
        if not name:
            r.fail(f"{where}.name", "a source needs a name")
        if name in names:
            r.fail(f"{where}.name", f"the source {name[:40]!r} is listed twice")
        entry: dict[str, Any] = {"id": sid, "name": name}
        url = r.text(src.get("url"), f"{where}.url").strip()
        if url:
            if not _URL_RE.match(url):
                r.fail(f"{where}.url", "a link must start with http://, https://, doi: or urn: and hold no spaces")
            entry["url"] = url
        date = r.text(src.get("date"), f"{where}.date").strip()
        if date:
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
                r.fail(f"{where}.date", "a date looks like 2022-01-17 (or 2022-01, or 2022)")
            entry["date"] = date
        note = r.text(src.get("note"), f"{where}.note").strip()
        if note:
            entry["note"] = note
        ids.add(sid)
        names.add(name)
        out.append(entry)
    return out


def check_properties(r: Rules, props: dict, geometry: dict, where: str, antipodal_m: float, *,
                     owned: bool = False) -> dict[str, Any]:
    out = props if owned else dict(props)
    kind = props.get("kind", "place" if geometry["type"] == "Point" else
                     "path" if geometry["type"] == "LineString" else "area")
    if kind not in FEATURE_KINDS:
        r.fail(f"{where}.properties.kind", f"kind {str(kind)[:40]!r} must be one of {', '.join(FEATURE_KINDS)}")
    out["kind"] = _CANONICAL[kind]  # one string for all (100,000 features, 100,000 copies of "place")
    expected = {"place": "Point", "range_ring": "Point", "path": "LineString", "area": "Polygon"}[kind]
    if geometry["type"] != expected:
        r.fail(f"{where}.geometry", f"a {kind} needs a {expected} geometry, not {geometry['type']}")
    for key in TEXT_KEYS:
        if key in props and not plain_text(props[key]):  # (plain text is kept as it is)
            out[key] = r.text(props[key], f"{where}.properties.{key}")
    _source_once(out)
    status = props.get("status", "reported")
    if status not in STATUSES:
        r.fail(f"{where}.properties.status", f"status {str(status)[:40]!r} must be one of {', '.join(STATUSES)}")
    out["status"] = _CANONICAL[status]
    if "layer" in props:  # a user layer (Scenario.layers names it); the built-in groups follow the role
        out["layer"] = r.ident(props["layer"], f"{where}.properties.layer")
    if "role" in props:
        role = props["role"]
        if type(role) is not str or role not in _PLACE_ROLE_SET:
            role = r.text(role, f"{where}.properties.role")
        if role not in PLACE_ROLES:
            r.fail(f"{where}.properties.role", f"role {role[:40]!r} must be one of {', '.join(PLACE_ROLES)}")
        out["role"] = _CANONICAL[role]
    if kind == "range_ring":
        radius = r.number(props.get("radius_m"), f"{where}.properties.radius_m")
        if radius < MIN_RADIUS_M:
            r.fail(f"{where}.properties.radius_m", f"a ring's radius must be at least {MIN_RADIUS_M} m")
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
        if 0 < u < MIN_RADIUS_M:
            r.fail(f"{where}.properties.uncertainty_m", f"must be 0 (none) or at least {MIN_RADIUS_M} m")
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


def check_utc_time(r: Rules, value: Any, where: str) -> datetime:
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


def check_utc_offset(r: Rules, value: Any, where: str) -> timedelta:
    text = r.text(value, where, required=True)
    m = re.fullmatch(r"([+-])(\d{2}):(\d{2})", text)
    if not m or int(m.group(2)) > 14 or int(m.group(3)) >= 60:
        r.fail(where, "must look like +09:00")
    sign = 1 if m.group(1) == "+" else -1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))


def check_view(r: Rules, view: Any) -> dict[str, Any]:
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


