"""GeoPackage (OGC; QGIS's own format, written by GDAL, ArcGIS and most GIS tools): every feature
table opens, each a layer of the map when there are several, converted to longitude/latitude from
the table's coordinate system. Tiles and tables without geometry are not map features and are
said so.

The file is an SQLite database, read from memory (never from or to disk), queried read-only with
the schema's own functions untrusted; only the tables the GeoPackage lists are read."""

from __future__ import annotations

import copy
import math
import re
import sqlite3
import struct
import time
from typing import Any

from viewer.model.io.common import Fail, Reading, short
from viewer.model.io.layered import UNDEFINED, Layer, Unsaid, read_layers
from viewer.model.io.to_lonlat import readable_system
from viewer.model.json_read import decode_json, lone_surrogate, nests_deeper
from viewer.model.rules import MAX_FEATURES

SQLITE_MAGIC = b"SQLite format 3\x00"
QUERY_SECONDS = 30  # the longest reading a GeoPackage may take (its views are SQL)
MAX_VALUE_BYTES = 64 * 1024 * 1024  # the largest text or blob a query may make


class _Connection(sqlite3.Connection):
    sitmap_timed_out = False
    sitmap_started = 0.0  # when the reading now under way began (each table has its own time)


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def read_geopackage(data: bytes, source_name: str, report) -> Reading:
    fail = Fail(source_name)
    db = _database(bytes(data), fail)
    carried: dict[str, Any] = {}
    said = copy.deepcopy(vars(report))  # (what the report held before: a second reading starts from it)
    try:
        again = False
        try:
            layers = _layers(db, fail, report, carried)
        except sqlite3.OperationalError as e:
            if not _not_utf8(e) or db.sitmap_timed_out:
                raise
            again = True  # (read again below, once this error and all the first reading held are let go)
        if again:
            # A text cell that is not UTF-8: read again with each such cell's bad bytes replaced
            # (SQLite's own decoding, in C, is the usual case's: 0.2 s of 100,000 rows' text).
            vars(report).clear()
            vars(report).update(said)
            carried.clear()
            db.text_factory = _lenient_text
            layers = _layers(db, fail, report, carried)
    except (sqlite3.Error, UnicodeDecodeError) as e:
        if db.sitmap_timed_out:
            fail("", f"reading it took more than {QUERY_SECONDS} s (a view that never ends?)")
        fail("", f"not a readable GeoPackage ({short(str(e), 100)})")
    finally:
        db.close()
    reading = read_layers(layers, source_name, report)
    reading.facts, reading.fields = carried.get("facts"), carried.get("fields")
    return reading


def _not_utf8(e: sqlite3.Error) -> bool:
    """Whether SQLite's own decoding of a text cell failed (its bytes are not UTF-8)."""
    return isinstance(e, sqlite3.OperationalError) and "decode to UTF-8" in str(e)


def _read_again(db: sqlite3.Connection, e: sqlite3.Error) -> bool:
    """Whether ``e`` says a text cell is not UTF-8 while the cells were read as UTF-8: its handler
    raises it again, and the file is read again, each such cell's bad bytes replaced
    (read_geopackage). (Raised again there, not here: this frame would hold the error its own
    traceback holds, and keep the first reading alive with it.)"""
    return _not_utf8(e) and db.text_factory is not _lenient_text


def _lenient_text(b: bytes) -> str:
    """A text cell's value, its bytes that are not UTF-8 replaced (one bad cell does not refuse the file)."""
    return b.decode("utf-8", "replace")


def _database(data: bytes, fail: Fail) -> sqlite3.Connection:
    if not data.startswith(SQLITE_MAGIC):
        fail("", "not a GeoPackage (not an SQLite database)")
    if data[18:20] == b"\x02\x02":  # (write-ahead log mode, as QGIS leaves a file it was editing: read as a plain file)
        data = data[:18] + b"\x01\x01" + data[20:]
    db = _Connection(":memory:")
    try:
        if hasattr(db, "deserialize"):  # (Python 3.11+: the bytes themselves, read-only)
            db.deserialize(data)
        else:  # pragma: no cover - Python 3.10
            db.close()
            db = _from_temporary_file(data)
        if hasattr(db, "setlimit"):
            db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        db.sitmap_started = time.monotonic()

        def budget() -> int:  # (a view in the file runs as SQL: stopped once it has run too long)
            db.sitmap_timed_out = time.monotonic() - db.sitmap_started > QUERY_SECONDS
            return 1 if db.sitmap_timed_out else 0

        db.set_progress_handler(budget, 100_000)
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")  # (a view may not call functions it names)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as e:
        db.close()
        fail("", f"not a readable GeoPackage ({short(str(e), 100)})")
    return db


def _from_temporary_file(data: bytes) -> sqlite3.Connection:  # pragma: no cover - Python 3.10
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".gpkg")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        db = sqlite3.connect(f"file:{name}?mode=ro&immutable=1", uri=True, factory=_Connection)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # (opened: the name can go)
    finally:
        os.unlink(name)
    return db


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _layers(db: sqlite3.Connection, fail: Fail, report, carried: dict) -> list[Layer]:
    """The file's feature tables as layers; ``carried`` gains the map's facts and own fields
    where SitMap's attribute tables hold them."""
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if "gpkg_contents" not in names:
        fail("", "not a GeoPackage (an SQLite database without its gpkg_contents)")
    if "gpkg_geometry_columns" in names:
        contents = db.execute("SELECT c.table_name, c.data_type, g.column_name, g.srs_id, c.description "
                              "FROM gpkg_contents c "
                              "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name").fetchall()
    else:  # (tiles or attributes only: the table the specification asks of feature tables alone)
        contents = db.execute("SELECT table_name, data_type, NULL, NULL, description FROM gpkg_contents").fetchall()
    systems = _systems(db) if "gpkg_spatial_ref_sys" in names else {}
    layers: list[Layer] = []
    others: list[str] = []
    total = 0
    begun = time.monotonic()
    by_lower = {n.lower(): n for n in names}  # (SQLite's names are caseless: "Roads" is "roads")
    for listed, kind, column, srs, description in contents:
        table = by_lower.get(listed.lower()) if isinstance(listed, str) else None
        if table is None:
            others.append(f"{listed} (listed, but not in the file)")
            continue
        if kind == "attributes" and _carried_table(db, table, description, carried, report):
            continue
        if kind != "features" or not isinstance(column, str):
            others.append(f"{table} ({kind or 'no data type'})")
            continue
        layer = Layer(name=table, system=_system_of(srs, systems), is_layer=not _drawn_table(db, table, description))
        db.sitmap_started = time.monotonic()
        if db.sitmap_started - begun > 2 * QUERY_SECONDS:  # (many views that never end: not each in turn)
            fail("", f"reading it took more than {2 * QUERY_SECONDS} s (views that never end?)")
        try:
            binary: set[str] = set()
            found = _rows(db, table, column, MAX_FEATURES + 1 - total, layer, binary)
        except sqlite3.Error as e:  # (a view that never ends, or names what is not there: the others open)
            if _read_again(db, e):
                raise
            why_not = f"reading it took more than {QUERY_SECONDS} s" if db.sitmap_timed_out else short(str(e), 60)
            db.sitmap_timed_out = False
            others.append(f"{table} ({why_not})")
            continue
        if not found:
            others.append(f"{table} (its geometry column is not in it)")
            continue
        if binary:  # (pictures, documents, another tool's own encoding: no value a map shows)
            report.note(f"Table {short(table)!r}: its binary columns not opened "
                        f"({', '.join(short(c, 30) for c in sorted(binary)[:8])}{', …' if len(binary) > 8 else ''})")
        total += len(layer.labels)
        if total > MAX_FEATURES:
            fail(table, f"more than {MAX_FEATURES:,} features")
        layers.append(layer)
    if not layers:
        what = f" (it holds {', '.join(short(o, 60) for o in others[:3])})" if others else ""
        fail("", f"no feature tables in this GeoPackage{what}")
    if others:
        report.note(f"Not opened as map features: {', '.join(short(o, 60) for o in others[:5])}"
                    + (", \u2026" if len(others) > 5 else ""))
    if len(layers) > 1:  # (row ids are each table's own: made unique across tables)
        for layer in layers:
            layer.ids = [f"{_id_part(layer.name)}-{i}" if isinstance(i, int) else i for i in layer.ids]
    return layers


# SitMap's export: a table for each kind of geometry, described so; a feature's layer is its "layer"
SITMAP_TABLES = ("points", "lines", "areas")
SITMAP_TABLE_NOTE = ", as SitMap draws them"


def _drawn_table(db: sqlite3.Connection, table: str, description) -> bool:
    """Whether ``table`` is one of SitMap's export (its points, lines or areas: the map's layers are
    in its ``layer`` column): by its description, or, where another tool saved the file again
    and left none (GDAL's "Save As"), by SitMap's own columns. (A table described otherwise is
    another tool's, whatever its name.)"""
    if table not in SITMAP_TABLES:
        return False
    if isinstance(description, str) and description.strip():
        return description.endswith(f"{table}{SITMAP_TABLE_NOTE}")
    return {"id", "kind", "status", "source"} <= set(_declared(db, table)[1])


# SitMap's attribute tables (an export's facts and the map's own fields), read back as the map's
_FACT_COLUMNS = {"fact_id": "id", "fact_group": "group", "label": "label", "value": "value", "source": "source",
                 "status": "status", "feature": "feature", "time_utc": "time_utc", "derive": "derive"}


def _carried_table(db: sqlite3.Connection, table: str, description: Any, carried: dict, report) -> bool:
    """Whether ``table`` is SitMap's facts or map fields table (read into ``carried``): the facts
    table by its name and columns, or its name and SitMap's description (rows a user added in QGIS,
    without a fact id, are given one). One that cannot be read (broken, a view of what is not there,
    columns another tool changed) is left out and said so: the features open."""
    from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER, facts_left_out, map_left_out

    name = table.lower()
    if name not in (FACTS_MEMBER, MAP_MEMBER):
        return False
    db.sitmap_started = time.monotonic()  # (its own time, as each feature table has)
    try:
        if name == MAP_MEMBER:
            _read_map_fields(db, table, carried, report)
            return True
        _pk, declared = _declared(db, table)
        if not {"label", "value", "source", "status"} <= set(declared):
            if not (isinstance(description, str) and description.startswith(_FACTS_DESCRIPTION)):
                return False  # (another tool's table of that name: not the map's facts)
            report.note(facts_left_out(f"table {short(table)!r} does not have the columns label, value, source and status"))
            return True
        carried["facts"] = _facts(db, table, report)
    except sqlite3.Error as e:
        if _read_again(db, e):
            raise
        why_not = f"reading it took more than {QUERY_SECONDS} s" if db.sitmap_timed_out else short(str(e), 60)
        db.sitmap_timed_out = False
        what = facts_left_out if name == FACTS_MEMBER else map_left_out
        report.note(what(f"table {short(table)!r} cannot be read: {why_not}"))
        carried.pop("facts" if name == FACTS_MEMBER else "fields", None)
    return True


_FACTS_DESCRIPTION = "The map's facts"  # (as SitMap's export describes its facts table)


def _read_map_fields(db: sqlite3.Connection, table: str, carried: dict, report) -> None:
    """The map's own fields, from SitMap's table of one row (its ``fields`` column, JSON text)."""
    from viewer.model.io.carried import map_left_out

    _pk, declared = _declared(db, table)
    if "fields" not in declared:
        report.note(map_left_out(f"table {short(table)!r} has no column fields"))
        return
    row = db.execute(f"SELECT fields FROM {_quoted(table)} LIMIT 1").fetchone()
    if row is None or not isinstance(row[0], str):
        report.note(map_left_out(f"table {short(table)!r} has no row" if row is None else
                                 f"its fields are {'empty' if row[0] is None else 'not text'}"))
        return
    carried["fields"] = _json(row[0])


FACT_BINARY = "facts opened without a value another tool stored as binary data, not text"


def _facts(db: sqlite3.Connection, table: str, report) -> list[dict]:
    """The facts table's rows as facts. A value another tool stored as a blob (binary: no text a
    fact holds) is left out of its fact, and said so; the fact opens without it."""
    from viewer.model.io.carried import MAX_FACTS

    cur = db.execute(f"SELECT * FROM {_quoted(table)} LIMIT {MAX_FACTS + 1}")
    cols = [d[0] for d in cur.description]
    facts = []
    for n, row in enumerate(cur, start=1):
        fact = {_FACT_COLUMNS[c.lower()]: v for c, v in zip(cols, row) if c.lower() in _FACT_COLUMNS and v is not None}
        binary = [k for k, v in fact.items() if isinstance(v, (bytes, memoryview))]
        for key in binary:
            del fact[key]
        fact.setdefault("id", f"fact-row-{n}")
        label = fact.get("label") if isinstance(fact.get("label"), str) else str(fact["id"])
        for key in binary:
            report.kept_without(FACT_BINARY, f"facts[{n - 1}] ({short(label, 40)}): its {key}")
        for key in ("time_utc", "derive"):
            if key in fact:
                fact[key] = _json(fact[key])
        facts.append(fact)
    return facts


def _id_part(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", name)[:80] or "layer"


def _systems(db: sqlite3.Connection) -> dict[int, tuple]:
    rows = db.execute("SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys")
    return {r[0]: r[1:] for r in rows if isinstance(r[0], int)}


def _system_of(srs: Any, systems: dict) -> str | int | None:
    """What PROJ is given for the table's coordinate system; None: longitude/latitude on WGS84
    (the GeoPackage's own 4326, and its "undefined geographic" 0); UNDEFINED: none given."""
    if srs in (4326, 0, None):
        return None
    if srs not in systems and isinstance(srs, int) and srs > 0:  # (a broken file: its table names a system it does not hold)
        return Unsaid(f"its coordinate system (srs_id {srs}) is not listed in the file")
    org, code, definition = systems.get(srs, (None, None, None))
    defined = isinstance(definition, str) and definition.strip().lower() not in ("", "undefined") \
        and "Undefined SRS" not in definition[:40]  # (GDAL's name for a layer without one)
    if isinstance(org, str) and org.upper() == "EPSG" and isinstance(code, int):
        if code == 4326:
            return None
        if defined and not readable_system(code):
            return definition  # (a code newer than PROJ's database, or not EPSG's: its own definition)
        return code
    return definition if defined and srs != -1 else UNDEFINED


def _rows(db: sqlite3.Connection, table: str, column: str, limit: int, layer: Layer, binary: set[str]) -> bool:
    """The table's rows (at most ``limit``) into ``layer``; False if its geometry column is not in it.
    ``binary``: told the columns whose values, binary data, were left out."""
    cur = db.execute(f"SELECT * FROM {_quoted(table)} LIMIT {limit}")
    cols = [d[0] for d in cur.description]
    column = next((c for c in cols if c.lower() == column.lower()), None)
    if column is None:
        return False
    pk, declared = _declared(db, table)
    # a text id column (SitMap writes its features' ids so): the features keep those ids
    named = next((c for c in cols if c.lower() == "id" and c != pk), None)
    as_json, keys = _json_columns(db, table)
    # each column's values as the map keeps them: a BOOLEAN column's 0 and 1 as false and true,
    # a JSON column's text (GDAL's JSON subtype) as the list, object or value it holds
    how = {c: _boolean if declared.get(c.lower()) == "BOOLEAN" else _json if c.lower() in as_json else _value
           for c in cols}
    # (by place in the row, as the cursor gives it: a large table has 100,000 rows of a dozen values)
    at = {c: i for i, c in enumerate(cols)}  # (SQLite gives no two columns one name)
    g, p, o = at[column], at.get(pk) if pk else None, at.get(named) if named else None
    fields = [(i, c, keys.get(c, c), None if how[c] is _value else how[c])
              for i, c in enumerate(cols) if c not in (column, pk)]
    where = f"table {short(table)!r} row "
    for n, row in enumerate(cur, start=1):
        fid = row[p] if p is not None else None
        own = row[o] if o is not None else None
        layer.labels.append(f"{where}{fid if isinstance(fid, int) else n}")
        layer.ids.append(own if isinstance(own, str) and own.strip() else
                         fid if isinstance(fid, int) and not isinstance(fid, bool) else None)
        layer.geometries.append(_wkb(row[g]))
        attrs = {}
        for i, c, key, read in fields:
            v = row[i]
            if v is None:
                continue
            t = type(v)
            if read is None and (t is str or t is int):  # (most values: as they are)
                attrs[key] = v
                continue
            if t is bytes or t is memoryview:
                binary.add(c)
            x = (read or _value)(v)
            if x is not None:
                attrs[key] = x
        more = attrs.get("more_properties") if "more_properties" in as_json else None
        if isinstance(more, dict) and not any(k in attrs for k in more):
            # (the keys a SitMap export held past SQLite's 2,000 columns: each its own again)
            del attrs["more_properties"]
            attrs.update(more)
        layer.attributes.append(attrs)
    return True


def _declared(db: sqlite3.Connection, table: str) -> tuple[str | None, dict[str, str]]:
    """The table's primary key column (None: none) and each column's declared type (by its
    lowercase name; upper case)."""
    pk, types = None, {}
    for row in db.execute(f"PRAGMA table_info({_quoted(table)})"):
        if row[5] == 1 and pk is None:  # (pk)
            pk = row[1]
        if isinstance(row[1], str):
            types[row[1].lower()] = (row[2] or "").strip().upper() if isinstance(row[2], str) else ""
    return pk, types


def _json_columns(db: sqlite3.Connection, table: str) -> tuple[set[str], dict[str, str]]:
    """The table's columns the GeoPackage's schema extension says hold JSON (gpkg_data_columns,
    mime_type application/json: how GDAL, and so QGIS, store a JSON field), by lowercase name; and
    the columns a writer numbered because their key clashed with another's but for case
    (``STATUS_1`` beside ``status``), or named with U+FFFD for a NUL character no SQL can hold,
    whose ``name`` there is that key: each by its key."""
    try:
        rows = db.execute("SELECT column_name, mime_type, name FROM gpkg_data_columns "
                          "WHERE lower(table_name) = lower(?)", (table,)).fetchall()
    except sqlite3.Error as e:  # (no such table: no column described)
        if _read_again(db, e):
            raise
        return set(), {}
    as_json = {c.lower() for c, mime, _ in rows
               if isinstance(c, str) and isinstance(mime, str) and mime.strip().lower() == "application/json"}
    keys = {c: name for c, _, name in rows if isinstance(c, str) and isinstance(name, str) and name.strip()
            and re.fullmatch(re.escape(name.replace("\x00", "\ufffd")) + r"(?:_\d+)?", c)}
    return as_json, keys


def _value(v: Any) -> Any:
    """An attribute as the map keeps it: text, numbers and booleans; blobs and numbers that are no
    number (NaN, infinity: a map file cannot hold them) are not kept."""
    if isinstance(v, (bytes, memoryview)) or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return v


def _boolean(v: Any) -> Any:
    """A BOOLEAN column's value: 0 and 1 as false and true (anything else as it is)."""
    return bool(v) if type(v) is int and v in (0, 1) else _value(v)


def _json(v: Any) -> Any:
    """A JSON column's value: the value its text holds, unless that is not JSON a map can keep
    (not JSON, null, nested too deep, a lone surrogate): then the text as it is."""
    if not isinstance(v, str):
        return _value(v)
    try:
        decoded = decode_json(v)
    except (ValueError, RecursionError):  # (RecursionError: nested deeper than the reader goes)
        return v
    if decoded is None or nests_deeper(decoded) or lone_surrogate(decoded, v):
        return v
    return decoded


def _wkb(blob: Any) -> bytes | ValueError | None:
    """The WKB inside a GeoPackage geometry blob (None: no geometry; an error: not one SitMap reads)."""
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        return ValueError("not a GeoPackage geometry")  # (read_layers says so)
    flags = blob[3]
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0x7)
    if envelope is None or flags & 0x20:  # (an envelope code past 4, or an extended geometry type)
        return ValueError("a GeoPackage geometry of an extended or unknown kind")
    body = blob[8 + envelope:]
    if flags & 0x10 and not body:
        return struct.pack("<BI", 1, 7) + struct.pack("<I", 0)  # an empty GeometryCollection
    return body
