"""GeoPackage export (QGIS's own format, read by GDAL and every GIS): the drawn map as three feature
tables, ``points``, ``lines`` (MultiLineString) and ``areas`` (MultiPolygon: areas, range rings,
uncertainty circles), each feature with its properties as columns, the facts with their sources
as an attribute table, ``facts``, and the map's own fields (event time, fact groups, sources) in
``sitmap_map``. The geometry is the one the screen draws (geodesics densified,
split at the antimeridian), as in the GeoJSON export, in longitude/latitude on WGS84 (EPSG:4326).

Written with SQLite in memory and saved in one atomic write (GeoPackage 1.4: the application id
"GPKG", the required spatial reference systems, contents and geometry columns, each geometry in the
GeoPackage binary form with its envelope)."""

from __future__ import annotations

import json
import math
import sqlite3
import struct
from pathlib import Path
from typing import Any

from viewer.model import numeric
from viewer.model.bulk import Memo
from viewer.model.io.common import SITMAP_KEYS
from viewer.model.io.geopackage import SITMAP_TABLE_NOTE, SITMAP_TABLES
from viewer.model.scenario import Scenario

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4
WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
             'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
             'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],'
             'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]')
TABLES = tuple(zip(SITMAP_TABLES, ("POINT", "MULTILINESTRING", "MULTIPOLYGON"),
                   (("Point",), ("LineString", "MultiLineString"), ("Polygon", "MultiPolygon"))))
_RESERVED = {"fid", "geom"}
# SQLite's columns a table at most (2,000, with fid and geom): keys past the first 1,989 of a table
# go in one JSON column, more_properties, an object of them each
MAX_PROPERTY_COLUMNS = 1990
MORE = object()  # (that column's key: no property's name can be it)


def export_geopackage(scenario: Scenario) -> bytes:
    """The map as the bytes of a GeoPackage file."""
    from viewer.export.geojson import drawn_geojson
    from viewer.model.bulk import collector_paused
    from viewer.model.io.carried import every_layer_listed

    scenario = every_layer_listed(scenario)
    with collector_paused():
        features = drawn_geojson(scenario)["features"]
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {USER_VERSION}")
        _base_tables(db)
        for table, type_name, types in TABLES:
            rows = [f for f in features if (f.get("geometry") or {}).get("type") in types]
            if rows or (not features and table == TABLES[0][0]):  # (an empty map: one empty table, to reopen)
                _feature_table(db, table, type_name, rows, scenario)
        _facts_table(db, scenario)
        db.commit()
        return bytes(db.serialize())
    finally:
        db.close()


def write_geopackage(scenario: Scenario, path: Path) -> None:
    from viewer.model.project import write_atomic

    write_atomic(Path(path), export_geopackage(scenario))


def _base_tables(db: sqlite3.Connection) -> None:
    db.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    """)
    db.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
        ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
    ])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(rows: list[dict]) -> dict[str, str]:
    """Each property's column (in the order first seen) and its type: INTEGER, REAL or BOOLEAN
    where every value is one, JSON where every value is a list or an object (a TEXT column the
    schema extension marks as JSON, as GDAL writes a JSON field), else TEXT (a list or object as
    JSON; an integer beyond SQLite's 64 bits as its digits)."""
    kinds: dict[str, set] = {}
    plain = _PLAIN_KINDS
    for f in rows:
        for k, v in (f.get("properties") or {}).items():
            if v is None:
                continue
            kind = plain.get(type(v))  # (a value as a map holds it: its kind at once)
            if kind is None:
                kind = bool if isinstance(v, bool) else (int if -2**63 <= v < 2**63 else str) if isinstance(v, int) \
                    else float if isinstance(v, float) else list if isinstance(v, (list, dict)) else str
            seen = kinds.get(k)
            if seen is None:
                kinds[k] = {kind}
            else:
                seen.add(kind)
    out = {}
    for k, seen in kinds.items():
        out[k] = ("BOOLEAN" if seen == {bool} else "INTEGER" if seen == {int} else
                  "REAL" if seen <= {int, float} else "JSON" if seen == {list} else "TEXT")
    return out


_PLAIN_KINDS = {bool: bool, float: float, str: str, list: list, dict: list}  # (int: as its size says)


def _with_more(props: dict, more: dict) -> dict:
    if more:
        props[MORE] = more
    return props


def _names(keys: list) -> dict:
    """Each property's column name, given in this order: itself, unless it clashes (caselessly, as
    SQLite compares names) with fid, geom or one given before; then with a number after it.
    (:data:`MORE`: ``more_properties``, likewise.) A NUL character, which no SQL statement can
    hold (a key from another tool's file), is U+FFFD in the name; the key is kept beside it, as a
    clashing one's is (gpkg_data_columns)."""
    taken = {r for r in _RESERVED}
    out = {}
    for key in keys:
        k = "more_properties" if key is MORE else key.replace("\x00", "\ufffd")
        name = k if k.lower() not in taken and k.strip() else f"{k or 'field'}_1"
        n = 1
        while name.lower() in taken:
            n += 1
            name = f"{k or 'field'}_{n}"
        taken.add(name.lower())
        out[key] = name
    return out


def _value(v: Any, sql_type: str) -> Any:
    if v is None:
        return None
    if sql_type == "BOOLEAN":
        return int(v)
    if sql_type in ("INTEGER", "REAL"):
        return v if isinstance(v, int) or math.isfinite(v) else None
    if isinstance(v, str):
        return v
    if type(v) is dict and len(v) <= 16:  # (a style: the same few on most of a large map's features)
        key = tuple((k, type(x), repr(x)) for k, x in v.items())
        if all(type(k) is str and t in _WORD_TYPES for k, t, _r in key):
            known = _OBJECT_TEXT.get(key)
            if known is None:
                known = _OBJECT_TEXT.keep(key, json.dumps(v, ensure_ascii=False, separators=(",", ":")))
            return known
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


_WORD_TYPES = frozenset((str, bool, int, float, type(None)))  # (each value told by its type and repr: -0.0 is not 0.0)
_OBJECT_TEXT: Memo = Memo()


def _feature_table(db: sqlite3.Connection, table: str, type_name: str, rows: list[dict], scenario: Scenario) -> None:
    rows = [{**f, "properties": {"id": f.get("id"), **{k: v for k, v in (f.get("properties") or {}).items()
                                                      if k != "id"}}} for f in rows]  # (SitMap's id first)
    columns = _columns(rows)
    own = [k for k in columns if k == "id" or k in SITMAP_KEYS]  # (SitMap's own keep their names)
    order = own + [k for k in columns if k not in set(own)]
    if len(order) > MAX_PROPERTY_COLUMNS:  # the rest of the keys in one JSON column, as an object each
        rest = set(order[MAX_PROPERTY_COLUMNS - 1:])
        order = order[:MAX_PROPERTY_COLUMNS - 1]
        rows = [{**f, "properties": _with_more({k: v for k, v in f["properties"].items() if k not in rest},
                                               {k: v for k, v in f["properties"].items() if k in rest})}
                for f in rows]
        columns = {k: t for k, t in columns.items() if k not in rest}
        columns[MORE] = "JSON"
        order.append(MORE)
    names = _names(order)
    cols = ", ".join(f"{_quoted(names[k])} {'TEXT' if t == 'JSON' else t}" for k, t in columns.items())
    db.execute(f"CREATE TABLE {_quoted(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {type_name}"
               + (f", {cols}" if cols else "") + ")")
    box = [math.inf, math.inf, -math.inf, -math.inf]
    values = []
    for f in rows:
        blob, env = _gp_blob(f["geometry"], type_name)
        box = [min(box[0], env[0]), min(box[1], env[2]), max(box[2], env[1]), max(box[3], env[3])]
        props = f.get("properties") or {}
        values.append([blob] + [v if v is None or type(v) is str else _value(v, t)  # (text: as it is)
                                for k, t in columns.items() for v in (props.get(k),)])
    marks = ", ".join("?" * (1 + len(columns)))
    insert_cols = ", ".join(["geom"] + [_quoted(names[k]) for k in columns])
    db.executemany(f"INSERT INTO {_quoted(table)} ({insert_cols}) VALUES ({marks})", values)
    title = scenario.title or "SitMap map"
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, "
               "max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)",
               (table, table, f"{title}: {table}{SITMAP_TABLE_NOTE}", *(box if rows else [None] * 4)))
    db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)", (table, type_name))
    # (a column named otherwise than its key, which clashed caselessly with another (a shapefile's
    # STATUS beside SitMap's status): its key as the column's name, which SitMap reads back)
    _data_columns(db, table, [names[k] for k, t in columns.items() if t == "JSON"],
                  {names[k]: k for k in columns if k is not MORE and names[k] != k})


def _data_columns(db: sqlite3.Connection, table: str, columns: list[str], keys: dict[str, str] | None = None) -> None:
    """The table's columns described in the schema extension's gpkg_data_columns: its JSON columns
    as such (mime_type application/json: GDAL reads them as JSON fields, SitMap as lists and
    objects), and ``keys``: columns whose property key is not their name, that key as their ``name``."""
    keys = keys or {}
    if not columns and not keys:
        return
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_data_columns'").fetchone():
        db.executescript("""
            CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT,
                title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT,
                CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
                CONSTRAINT gdc_tn UNIQUE (table_name, name));
            CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL,
                value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN,
                description TEXT, CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
            CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
                definition TEXT NOT NULL, scope TEXT NOT NULL,
                CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            INSERT INTO gpkg_extensions VALUES
                ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema',
                 'read-write'),
                ('gpkg_data_column_constraints', NULL, 'gpkg_schema',
                 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
        """)
    db.executemany("INSERT INTO gpkg_data_columns (table_name, column_name, name, mime_type) VALUES (?, ?, ?, ?)",
                   [(table, c, keys.get(c), "application/json" if c in columns else None)
                    for c in dict.fromkeys(list(columns) + list(keys))])


def _facts_table(db: sqlite3.Connection, scenario: Scenario) -> None:
    """The facts, a row each with its source and status (an attribute table QGIS shows and edits;
    SitMap reads it back), and the map's own fields in a table of one row."""
    from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER, carried_facts, carried_fields

    def as_json(v: Any) -> str | None:
        return None if v is None else json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    if scenario.facts:
        db.execute(f"CREATE TABLE {FACTS_MEMBER} (fid INTEGER PRIMARY KEY AUTOINCREMENT, fact_id TEXT, "
                   "fact_group TEXT, label TEXT, value TEXT, source TEXT, status TEXT, feature TEXT, "
                   "time_utc TEXT, derive TEXT)")
        db.executemany(f"INSERT INTO {FACTS_MEMBER} (fact_id, fact_group, label, value, source, status, feature, "
                       "time_utc, derive) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(f["id"], f["group"], f["label"], f["value"], f["source"], f["status"], f.get("feature"),
                         as_json(f.get("time_utc")), as_json(f.get("derive"))) for f in carried_facts(scenario)])
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                   "VALUES (?, 'attributes', ?, 'The map''s facts, each with its source and status')",
                   (FACTS_MEMBER, FACTS_MEMBER))
        _data_columns(db, FACTS_MEMBER, ["time_utc", "derive"])
    fields = carried_fields(scenario, title=True)
    if fields:
        db.execute(f"CREATE TABLE {MAP_MEMBER} (fid INTEGER PRIMARY KEY AUTOINCREMENT, fields TEXT)")
        db.execute(f"INSERT INTO {MAP_MEMBER} (fields) VALUES (?)", (as_json(fields),))
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                   "VALUES (?, 'attributes', ?, 'The map''s own fields (SitMap): event time, fact groups, sources')",
                   (MAP_MEMBER, MAP_MEMBER))
        _data_columns(db, MAP_MEMBER, ["fields"])


_POINT_HEAD = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326)  # (version 0, an envelope, little-endian)
_POINT_WKB = b"\x01" + struct.pack("<I", 1)  # (little-endian WKB, type 1: Point)


def _gp_blob(geometry: dict, type_name: str) -> tuple[bytes, tuple[float, float, float, float]]:
    """The geometry as a GeoPackage binary blob (little-endian, with its envelope: minx, maxx,
    miny, maxy), lines and areas as their Multi type; and that envelope."""
    if type_name == "POINT" and geometry.get("type") == "Point":  # (most of a large map: packed at once)
        x, y = (float(c) for c in geometry["coordinates"][:2])
        env = (x, x, y, y)
        return _POINT_HEAD + struct.pack("<4d", *env) + _POINT_WKB + struct.pack("<2d", x, y), env
    numeric.load()
    import shapely
    from shapely.geometry import MultiLineString, MultiPolygon, shape

    g = shape(geometry)
    if type_name == "MULTILINESTRING" and g.geom_type == "LineString":
        g = MultiLineString([g])
    elif type_name == "MULTIPOLYGON" and g.geom_type == "Polygon":
        g = MultiPolygon([g])
    minx, miny, maxx, maxy = g.bounds
    env = (minx, maxx, miny, maxy)
    head = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326) + struct.pack("<4d", *env)
    return head + shapely.to_wkb(g, byte_order=1, output_dimension=2), env
