"""Write the hostile-file corpus into tests/data/broken/ (deterministic: same bytes every run).

    .venv/bin/python tools/make_broken_corpus.py [--out DIR]

Every file is broken in one known way; MANIFEST.json lists each file with its category, what is
wrong with it and what each reader must do with it ("refuse": raise ScenarioError; "any": refuse or
accept, never crash). Files that only make sense at full size (hundreds of MB, a 10 MB CSV cell)
are made by the tests in a temporary folder instead; the corpus stays under a few MB.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUILT_IN = ROOT / "resources" / "scenarios" / "2022-01-17-dprk-launch.geojson"
OUT = ROOT / "tests" / "data" / "broken"
SEED = 20220117
KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
KML_TAIL = "</Document></kml>\n"


class Corpus:
    def __init__(self, out: Path):
        self.out = out
        self.entries: list[dict] = []
        self.names: set[str] = set()

    def add(self, category: str, name: str, data: bytes | str, what: str, *, scenario: str = "refuse",
            imports: str = "refuse", opens: bool = False) -> None:
        """scenario / imports: what load_scenario (only .geojson) and import_annotations must do;
        opens: the lenient opener (File > Open, ``sitmap FILE``) opens it (it is only strict elsewhere)."""
        assert name not in self.names, name
        self.names.add(name)
        if isinstance(data, str):
            data = data.encode("utf-8")
        (self.out / name).write_bytes(data)
        entry = {"file": name, "category": category, "what": what, "import_annotations": imports}
        if name.endswith(".geojson"):
            entry["load_scenario"] = scenario
        if opens:
            entry["open_map"] = "opens"
        self.entries.append(entry)


# --------------------------------------------------------------------------- helpers

def base_doc() -> dict:
    return json.loads(BUILT_IN.read_text(encoding="utf-8"))


def dumps(doc) -> str:
    return json.dumps(doc, ensure_ascii=False)


def feature(doc: dict, fid: str) -> dict:
    return next(f for f in doc["features"] if f["id"] == fid)


def placemark(name: str, geometry: str, extra: str = "") -> str:
    return f"<Placemark><name>{name}</name>{extra}{geometry}</Placemark>\n"


def kml(*placemarks: str) -> str:
    return KML_HEAD + "".join(placemarks) + KML_TAIL


def point(lon, lat) -> str:
    return f"<Point><coordinates>{lon},{lat}</coordinates></Point>"


def polygon(coords: str) -> str:
    return f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon>"


def kmz(entries: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 17, 8, 50, 0))  # fixed: the bytes never change
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def lie_about_size(archive: bytes, size: int) -> bytes:
    """Patch every local and central header's uncompressed size (a bomb that hides its size)."""
    b = bytearray(archive)
    i = 0
    while (i := b.find(b"PK\x03\x04", i)) >= 0:
        struct.pack_into("<I", b, i + 22, size)
        i += 4
    i = 0
    while (i := b.find(b"PK\x01\x02", i)) >= 0:
        struct.pack_into("<I", b, i + 24, size)
        i += 4
    return bytes(b)


CSV_HEADER = "lat,lon,name,notes,id,source,status,color,kind,radius_m\r\n"


def csv_rows(*rows: str) -> str:
    return CSV_HEADER + "".join(r + "\r\n" for r in rows)


# --------------------------------------------------------------------------- the corpus

def build(c: Corpus) -> None:
    from viewer.model.exchange import export_csv, export_kml
    from viewer.model.scenario import load_scenario

    rng = random.Random(SEED)
    raw = BUILT_IN.read_bytes()
    scenario = load_scenario(BUILT_IN)
    good_kml = export_kml(scenario)
    good_kmz = kmz([("doc.kml", good_kml)])  # as export_kmz, with a fixed time stamp
    good_csv = export_csv(scenario)

    # ---- truncations of valid files at many offsets
    offsets = sorted(rng.sample(range(1, len(raw) - 3), 36)) + [len(raw) - 3]
    for off in offsets:
        c.add("truncated", f"truncated-scenario-{off:05d}.geojson", raw[:off], f"built-in scenario cut after {off} bytes")
    end = good_kml.rfind(b"</kml>")
    for off in sorted(rng.sample(range(1, end), 14)):
        c.add("truncated", f"truncated-{off:05d}.kml", good_kml[:off], f"SitMap KML export cut after {off} bytes")
    for off in sorted(rng.sample(range(4, len(good_kmz) - 1), 8)):
        c.add("truncated", f"truncated-{off:05d}.kmz", good_kmz[:off], f"SitMap KMZ export cut after {off} bytes")
    c.add("truncated", "truncated-header.csv", good_csv[:8], "CSV cut inside the header row")
    c.add("truncated", "truncated-row.csv", good_csv[: good_csv.index(b"\r\n") + 7], "CSV cut inside the first row's latitude")

    # ---- not a document at all
    for ext in ("geojson", "kml", "kmz", "csv"):
        c.add("empty", f"empty.{ext}", b"", "empty file")
        c.add("empty", f"bom-only.{ext}", b"\xef\xbb\xbf", "UTF-8 byte order mark only")
        c.add("empty", f"whitespace.{ext}", b" \r\n\t \n", "whitespace only")
        c.add("garbage", f"garbage.{ext}", bytes(rng.randrange(256) for _ in range(4096)), "4 KB of random bytes")
        c.add("encoding", f"invalid-utf8.{ext}",
              (raw if ext == "geojson" else good_kml if ext in ("kml", "kmz") else good_csv)[:300] + b"\xc3\x28\xff\xfe" + b"x" * 20,
              "invalid UTF-8 sequence in the text")
    c.add("garbage", "nul-bytes.geojson", b"\x00" * 1000, "1000 NUL bytes")
    c.add("garbage", "elf-binary.kml", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4, "an executable header")
    c.add("garbage", "png.kmz", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), "a PNG, not a zip")
    c.add("encoding", "utf16-no-bom.geojson", raw.decode("utf-8").encode("utf-16-le")[:4000], "UTF-16 without a byte order mark")
    c.add("encoding", "utf16-odd-length.csv", b"\xff\xfe" + "lat,lon\n".encode("utf-16-le") + b"\x00", "UTF-16 with an odd byte count")
    c.add("encoding", "utf16-lone-surrogate.csv", b"\xff\xfe" + "lat,lon\n".encode("utf-16-le") + b"\x00\xd8,\x00",
          "UTF-16 with a lone surrogate")
    c.add("encoding", "latin1.csv", "lat,lon,name\n39.2,125.6,Sin\xfbiju\n".encode("latin-1"), "Latin-1, not UTF-8",
          opens=True)  # (opened as a sheet in the Windows code page, and said)
    c.add("encoding", "unknown-encoding.kml", b'<?xml version="1.0" encoding="x-no-such-enc"?><kml/>', "unknown XML encoding")
    c.add("encoding", "bad-declared-utf16.kml", b'<?xml version="1.0" encoding="utf-16"?><kml/>', "declared UTF-16 but is ASCII")

    # ---- JSON of the wrong shape
    for i, text in enumerate(["[]", "[1, 2, 3]", "42", "-0", '"FeatureCollection"', "null", "true", "{}",
                              '{"type": "Feature"}', '{"type": "FeatureCollection"}']):
        c.add("wrong-shape", f"json-shape-{i:02d}.geojson", text, f"JSON document {text[:30]}",
              imports="any" if text.startswith("{") and "Collection" in text else "refuse")
    c.add("json-syntax", "trailing-comma.geojson", raw.replace(b'"version": 1,', b'"version": 1,,'), "double comma")
    c.add("json-syntax", "single-quotes.geojson", raw.replace(b'"FeatureCollection"', b"'FeatureCollection'"), "single quotes")
    c.add("json-syntax", "comment.geojson", b"// a comment\n" + raw, "JavaScript comment before the object")
    c.add("json-syntax", "two-documents.geojson", raw + raw, "two JSON documents in one file")
    c.add("json-syntax", "unescaped-control.geojson", raw.replace(b'"KST"', b'"K\x01ST"'), "raw control character in a string")
    c.add("json-syntax", "bad-escape.geojson", raw.replace(b'"KST"', b'"K\\qST"'), "invalid backslash escape")

    # ---- numbers that are not numbers
    for lit in ("NaN", "Infinity", "-Infinity", "1e999", "-1e999"):
        for where, path in (("lat", ("launch-point", 1)), ("radius", None)):
            doc = base_doc()
            text = dumps(doc)
            if where == "lat":
                feature(doc, "launch-point")["geometry"]["coordinates"][1] = 1234.5
                text = dumps(doc).replace("1234.5", lit, 1)
            else:
                feature(doc, "ring-380km")["properties"]["radius_m"] = 1234.5
                text = dumps(doc).replace("1234.5", lit, 1)
            c.add("nan-infinity", f"{where}-{lit.lower().replace('-', 'minus-')}.geojson", text, f"{where} is {lit}")
    doc = base_doc()
    feature(doc, "launch-point")["properties"]["score"] = 1234.5
    c.add("nan-infinity", "property-1e999.geojson", dumps(doc).replace("1234.5", "1e999"),
          "an ordinary property is 1e999 (infinite: could never be saved back)")
    c.add("nan-infinity", "huge-integer.geojson", dumps(doc).replace("1234.5", "9" * 5000), "a 5,000-digit integer")
    doc = base_doc()
    doc["sitmap"]["view"]["bounds"][0][0] = 1234.5
    c.add("nan-infinity", "view-nan.geojson", dumps(doc).replace("1234.5", "NaN"), "view bounds hold NaN")
    c.add("nan-infinity", "nan.kml", kml(placemark("n", point("nan", 10))), "longitude nan")
    c.add("nan-infinity", "inf.kml", kml(placemark("i", point(10, "inf"))), "latitude inf")
    c.add("nan-infinity", "1e999.kml", kml(placemark("i", point("1e999", 10))), "longitude 1e999")
    c.add("nan-infinity", "nan.csv", csv_rows("nan,10,a,,,,,,,"), "latitude nan")
    c.add("nan-infinity", "inf.csv", csv_rows("10,-inf,a,,,,,,,"), "longitude -inf")
    c.add("nan-infinity", "ring-nan-radius.csv", csv_rows("10,10,a,,,,,,range_ring,nan"), "ring radius nan")

    # ---- positions out of range
    for lat in ("90.0000001", "-91", "1e308", "-1e308", "95"):
        doc = base_doc()
        feature(doc, "launch-point")["geometry"]["coordinates"][1] = 1234.5
        c.add("out-of-range", f"lat-{lat}.geojson", dumps(doc).replace("1234.5", lat), f"latitude {lat}")
        c.add("out-of-range", f"lat-{lat}.kml", kml(placemark("p", point(10, lat))), f"latitude {lat}")
        c.add("out-of-range", f"lat-{lat}.csv", csv_rows(f"{lat},10,p,,,,,,,"), f"latitude {lat}")
    for lon in ("180.5", "-180.0000001", "361"):
        doc = base_doc()
        feature(doc, "flight-path")["geometry"]["coordinates"][1][0] = 1234.5
        c.add("out-of-range", f"lon-{lon}.geojson", dumps(doc).replace("1234.5", lon), f"longitude {lon} in a path")
        c.add("out-of-range", f"lon-{lon}.kml", kml(placemark("l", f"<LineString><coordinates>10,10 {lon},11</coordinates></LineString>")),
              f"longitude {lon} in a line")
        c.add("out-of-range", f"lon-{lon}.csv", csv_rows(f"10,{lon},p,,,,,,,"), f"longitude {lon}")
    doc = base_doc()
    feature(doc, "launch-point")["geometry"]["coordinates"] = [39.2002, 125.6733]
    c.add("out-of-range", "lat-lon-swapped.geojson", dumps(doc), "[lat, lon] instead of [lon, lat]")
    doc = base_doc()
    doc["sitmap"]["view"] = {"center": [91, 10], "zoom": 5}
    c.add("out-of-range", "view-center.geojson", dumps(doc), "view centre latitude 91")
    doc = base_doc()
    doc["sitmap"]["view"] = {"zoom": 40}
    c.add("out-of-range", "view-zoom.geojson", dumps(doc), "zoom 40")

    # ---- radii
    for r, label in (("-0", "minus-zero"), ("0", "zero"), ("-5", "negative"), ("20100000", "20100000"),
                     ("20003932", "just-beyond-antipodal"), ("1e308", "1e308")):
        doc = base_doc()
        feature(doc, "ring-380km")["properties"]["radius_m"] = 1234.5
        c.add("radius", f"radius-{label}.geojson", dumps(doc).replace("1234.5", r), f"range ring radius {r}")
        c.add("radius", f"radius-{label}.csv", csv_rows(f"39,125,r,,r1,,,,range_ring,{r}"), f"range ring radius {r}")
        c.add("radius", f"radius-{label}.kml", kml(placemark(
            "r", polygon("125,39 125.1,39 125.1,39.1 125,39"),
            "<ExtendedData><Data name=\"sitmap_id\"><value>r1</value></Data><Data name=\"sitmap_kind\"><value>range_ring"
            f"</value></Data><Data name=\"sitmap_radius_m\"><value>{r}</value></Data><Data name=\"sitmap_centre_lat\">"
            "<value>39</value></Data><Data name=\"sitmap_centre_lon\"><value>125</value></Data></ExtendedData>")),
            f"SitMap ring radius {r} in ExtendedData")
    doc = base_doc()
    feature(doc, "ring-380km")["properties"]["radius_m"] = "380000"
    c.add("radius", "radius-as-text.geojson", dumps(doc), "radius is text")
    doc = base_doc()
    del feature(doc, "ring-380km")["properties"]["radius_m"]
    c.add("radius", "radius-missing.geojson", dumps(doc), "ring without a radius")
    doc = base_doc()
    feature(doc, "launch-point")["properties"]["uncertainty_m"] = -1
    c.add("radius", "uncertainty-negative.geojson", dumps(doc), "negative uncertainty")

    # ---- polygons
    bowtie = [[125.0, 39.0], [126.0, 40.0], [126.0, 39.0], [125.0, 40.0], [125.0, 39.0]]
    shapes = {
        "bowtie": (bowtie, "self-intersecting bow-tie"),
        "unclosed": ([[125.0, 39.0], [126.0, 39.0], [126.0, 40.0], [125.0, 40.0]], "ring not closed"),
        "two-points": ([[125.0, 39.0], [126.0, 39.0], [125.0, 39.0]], "ring with too few positions"),
        "spike": ([[125.0, 39.0], [126.0, 39.0], [126.0, 40.0], [126.0, 39.0], [125.0, 39.0]], "ring that folds back on itself"),
        "zero-area": ([[125.0, 39.0], [126.0, 39.0], [127.0, 39.0], [125.0, 39.0]], "collinear ring (no area)"),
        "empty-ring": ([], "empty ring"),
    }
    for key, (ring, what) in shapes.items():
        doc = base_doc()
        feature(doc, "impact-area")["geometry"]["coordinates"] = [ring]
        c.add("polygon", f"polygon-{key}.geojson", dumps(doc), what)
        if key not in ("unclosed",):  # KML rings left open are closed on import (writers do that)
            c.add("polygon", f"polygon-{key}.kml", kml(placemark(key, polygon(" ".join(f"{x},{y}" for x, y in ring)))), what)
    doc = base_doc()
    outer = feature(doc, "impact-area")["geometry"]["coordinates"][0]
    feature(doc, "impact-area")["geometry"]["coordinates"] = [outer, [[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 10.0]]]
    c.add("polygon", "polygon-hole-outside.geojson", dumps(doc), "a hole outside its polygon")
    doc = base_doc()
    feature(doc, "impact-area")["geometry"]["coordinates"] = [[[0, 0]] * 3 + [[0, 0]]]
    c.add("polygon", "polygon-one-point.geojson", dumps(doc), "ring of one repeated point")
    c.add("polygon", "polygon-bowtie-multi.kml", kml(placemark("m", "<MultiGeometry>" + polygon(
        " ".join(f"{x},{y}" for x, y in bowtie)) + point(10, 10) + "</MultiGeometry>")), "bow-tie inside a MultiGeometry")
    c.add("polygon", "polygon-bowtie-plain.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [bowtie]}}]}),
        "plain GeoJSON (no sitmap member) with a bow-tie")

    # ---- types swapped, field by field
    swaps = [
        (("type",), 7), (("features",), {"a": 1}), (("facts",), "none"), (("sitmap", "version"), "1"),
        (("sitmap", "version"), 3), (("sitmap", "version"), True), (("sitmap", "title"), ["a"]),
        (("sitmap", "subtitle"), 5), (("sitmap", "event_time_utc"), 1642376400),
        (("sitmap", "event_time_utc"), "yesterday"), (("sitmap", "event_time_utc"), "2022-01-16T23:50:00"),
        (("sitmap", "event_time_utc"), "0001-01-01T00:00:00+01:00"), (("sitmap", "local_time"), "+09:00"),
        (("sitmap", "local_time", "utc_offset"), "+99:00"), (("sitmap", "view"), [1, 2]),
        (("sitmap", "view", "bounds"), [[1, 2, 3], [4, 5]]), (("sitmap", "groups"), {"id": "x"}),
        (("sitmap", "groups", 0), "launch"), (("sitmap", "groups", 0, "id"), None), (("sitmap", "layers"), 1),
        (("sitmap", "layers"), [{"id": "x", "visible": "yes"}]), (("features", 0), "Feature"),
        (("features", 0, "type"), "Point"), (("features", 0, "geometry"), None), (("features", 0, "geometry"), "POINT(1 2)"),
        (("features", 0, "geometry", "type"), "Circle"), (("features", 0, "geometry", "coordinates"), "125,39"),
        (("features", 0, "geometry", "coordinates"), [125.0]), (("features", 0, "geometry", "coordinates"), [125, 39, 0, 0]),
        (("features", 0, "geometry", "coordinates"), [True, 39]), (("features", 0, "properties"), []),
        (("features", 0, "properties", "kind"), "circle"), (("features", 0, "properties", "kind"), "path"),
        (("features", 0, "properties", "status"), "rumoured"), (("features", 0, "properties", "role"), 3),
        (("features", 0, "properties", "name"), {"en": "x"}), (("features", 0, "properties", "notes"), "n" * 20001),
        (("features", 0, "properties", "name"), "a\x00b"), (("features", 0, "properties", "style"), "red"),
        (("features", 0, "properties", "style"), {"color": "red"}), (("features", 0, "properties", "style"), {"weight": 99}),
        (("features", 0, "properties", "style"), {"opacity": True}), (("features", 0, "id"), ""),
        (("features", 0, "id"), "has space"), (("features", 0, "id"), 12), (("features", 0, "id"), "x" * 129),
        (("features", 2, "geometry", "coordinates"), [[125, 39]]),
        (("features", 2, "properties", "reported_range_m"), -1), (("features", 2, "properties", "reported_apogee_m"), "high"),
        (("facts", 0), []), (("facts", 0, "status"), "true"), (("facts", 0, "status"), None),
        (("facts", 0, "label"), None), (("facts", 0, "source"), 3), (("facts", 0, "time_utc"), ["noon"]),
        (("facts", 0, "time_utc"), 5), (("facts", 0, "derive"), {"op": "teleport"}), (("facts", 0, "derive"), "distance"),
        (("facts", 0, "group"), "not valid!"),
    ]
    for n, (path, value) in enumerate(swaps):
        doc = base_doc()
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        where = ".".join(str(p) for p in path)
        c.add("type-swap", f"swap-{n:02d}.geojson", dumps(doc), f"{where} = {json.dumps(value)[:40]}")

    # ---- required fields missing
    missing = [("features",), ("features", 0, "geometry"), ("features", 0, "id"), ("features", 1, "properties", "radius_m"),
               ("features", 0, "geometry", "coordinates"), ("features", 0, "geometry", "type"), ("facts", 0, "id"),
               ("facts", 0, "status"), ("facts", 0, "label"), ("facts", 0, "source"), ("sitmap", "local_time", "zone"),
               ("type",), ("features", 0, "type"), ("facts", 0, "derive", "op")]
    for n, path in enumerate(missing):
        doc = base_doc()
        if path == ("facts", 0, "derive", "op"):
            doc["facts"][0]["derive"] = {"from": "launch-point", "to": "seoul"}
        else:
            target = doc
            for key in path[:-1]:
                target = target[key]
            del target[path[-1]]
        c.add("missing-field", f"missing-{n:02d}.geojson", dumps(doc), f"no {'.'.join(str(p) for p in path)}")
    c.add("missing-field", "missing-lat-column.csv", "lon,name\n10,a\n", "no latitude column")
    c.add("missing-field", "missing-coordinates.kml", kml(placemark("p", "<Point></Point>")), "Point without coordinates")
    c.add("missing-field", "polygon-no-outer.kml", kml(placemark("p", "<Polygon></Polygon>")), "Polygon without outer boundary")
    c.add("missing-field", "ring-without-centre.kml", kml(placemark(
        "r", polygon("125,39 125.1,39 125.1,39.1 125,39"),
        "<ExtendedData><Data name=\"sitmap_kind\"><value>range_ring</value></Data>"
        "<Data name=\"sitmap_radius_m\"><value>1000</value></Data></ExtendedData>")), "SitMap ring without its centre")

    # ---- ids and references
    doc = base_doc()
    doc["features"][1]["id"] = doc["features"][0]["id"]
    c.add("references", "duplicate-feature-id.geojson", dumps(doc), "two features with one id")
    doc = base_doc()
    doc["facts"][1]["id"] = doc["facts"][0]["id"]
    c.add("references", "duplicate-fact-id.geojson", dumps(doc), "two facts with one id")
    doc = base_doc()
    doc["facts"][0]["feature"] = "nowhere"
    c.add("references", "fact-points-nowhere.geojson", dumps(doc), "fact about a missing feature")
    doc = base_doc()
    doc["facts"].append({"id": "d", "label": "d", "source": "s", "status": "derived",
                         "derive": {"op": "distance", "from": "launch-point", "to": "atlantis"}})
    c.add("references", "derive-points-nowhere.geojson", dumps(doc), "derived fact from a missing feature")
    doc = base_doc()
    doc["facts"].append({"id": "t", "label": "t", "source": "s", "status": "derived", "derive": {"op": "trajectory"}})
    c.add("references", "derive-no-path.geojson", dumps(doc), "trajectory without a path")
    doc = base_doc()
    doc["sitmap"]["version"] = 99
    c.add("references", "newer-version.geojson", dumps(doc), "format version 99")

    # ---- absurd nesting
    for depth in (65, 1000, 100_000):
        c.add("nesting", f"deep-array-{depth}.geojson", "[" * depth + "]" * depth, f"arrays nested {depth} deep")
    c.add("nesting", "deep-unclosed.geojson", "{\"a\":[" * 50_000, "objects and arrays nested 100,000 deep, never closed")
    doc = base_doc()
    feature(doc, "launch-point")["properties"]["x"] = 1234.5
    c.add("nesting", "deep-in-property.geojson", dumps(doc).replace("1234.5", "[" * 70 + "]" * 70), "a property nested 70 deep")
    c.add("nesting", "deep-geometry-collection.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry":
                                                     json.loads('{"type":"GeometryCollection","geometries":[' * 80
                                                                + ']}' * 80)}]}), "GeometryCollections nested 80 deep")
    c.add("nesting", "deep-xml-100000.kml", "<kml>" + "<f>" * 100_000, "XML nested 100,000 deep (never closed)")
    c.add("nesting", "deep-multigeometry.kml", kml(placemark("m", "<MultiGeometry>" * 80 + point(1, 1) + "</MultiGeometry>" * 80)),
          "MultiGeometry nested 80 deep")
    c.add("nesting", "deep-sitmap-properties.kml", kml(placemark(
        "d", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>place</value></Data>"
        "<Data name=\"sitmap_properties\"><value>" + "[" * 100 + "]" * 100 + "</value></Data></ExtendedData>")),
        "sitmap_properties JSON nested 100 deep")

    # ---- XML entities
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE kml [\n <!ENTITY lol "lol">\n'
              + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
              + ']>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol9;</name>'
              + point(1, 1) + "</Placemark></kml>\n")
    c.add("xml-entities", "billion-laughs.kml", laughs, "billion laughs")
    c.add("xml-entities", "billion-laughs-after-comment.kml", laughs.replace("?>\n", "?>\n<!-- <kml> -->\n", 1),
          "billion laughs behind a comment holding '<kml>'")
    c.add("xml-entities", "billion-laughs-after-pi.kml", laughs.replace("?>\n", "?>\n<?note <kml> ?>\n", 1),
          "billion laughs behind a processing instruction holding '<kml>'")
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>' + point(1, 1) + "</Placemark></kml>\n")
    c.add("xml-entities", "external-entity.kml", xxe, "external entity file:///etc/passwd")
    c.add("xml-entities", "external-dtd.kml", '<?xml version="1.0"?><!DOCTYPE kml SYSTEM "http://example.invalid/x.dtd">'
          '<kml xmlns="http://www.opengis.net/kml/2.2"/>', "external DTD")
    c.add("xml-entities", "parameter-entity.kml", '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
          '<kml xmlns="http://www.opengis.net/kml/2.2"/>', "external parameter entity")
    c.add("xml-entities", "doctype-utf16.kml", b"\xff\xfe" + xxe.encode("utf-16-le"), "external entity, UTF-16 with BOM")
    c.add("xml-entities", "doctype-utf16-no-bom.kml", xxe.replace('<?xml version="1.0"?>', "").encode("utf-16-le"),
          "external entity, UTF-16LE without BOM")
    c.add("xml-entities", "doctype-utf16be.kml", b"\xfe\xff" + laughs.encode("utf-16-be"), "billion laughs, UTF-16BE with BOM")
    c.add("xml-entities", "doctype-lowercase.kml", xxe.replace("DOCTYPE", "doctype"), "lower-case doctype (not well-formed)")
    c.add("xml-entities", "undefined-entity.kml", kml(placemark("&nope;", point(1, 1))), "undefined entity")
    c.add("xml-entities", "laughs-in-kmz.kmz", kmz([("doc.kml", laughs.encode())]), "billion laughs inside a KMZ")
    c.add("xml-entities", "xxe-in-kmz.kmz", kmz([("doc.kml", xxe.encode())]), "external entity inside a KMZ")

    # ---- KMZ archives
    c.add("zip", "zip-bomb.kmz", kmz([("doc.kml", b"\0" * 200_000_000)]), "200 MB of zeros in a 200 KB archive")
    c.add("zip", "zip-bomb-lying-header.kmz", lie_about_size(kmz([("doc.kml", KML_HEAD.encode() + b" " * 30_000_000)]), 1000),
          "30 MB inflate behind headers that say 1000 bytes")
    c.add("zip", "zip-1000-entries.kmz", kmz([(f"f{i:04d}.kml", b"<kml/>") for i in range(1000)]), "1000 entries")
    c.add("zip", "zip-no-kml.kmz", kmz([("readme.txt", b"hello")]), "no .kml inside")
    c.add("zip", "zip-empty.kmz", kmz([]), "an empty archive")
    c.add("zip", "zip-bad-crc.kmz", (lambda b: b[:60] + bytes([b[60] ^ 0xFF]) + b[61:])(kmz([("doc.kml", good_kml)],
                                                                                         zipfile.ZIP_STORED)),
          "stored entry with a flipped byte (bad CRC)")
    deflated = kmz([("doc.kml", good_kml)])
    c.add("zip", "zip-corrupt-deflate.kmz", deflated[:80] + bytes(b ^ 0x5A for b in deflated[80:400]) + deflated[400:],
          "deflate stream scrambled")
    enc = bytearray(kmz([("doc.kml", good_kml)], zipfile.ZIP_STORED))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = enc.find(sig)
        enc[i + off] |= 1
    c.add("zip", "zip-encrypted-flag.kmz", bytes(enc), "entry marked encrypted")
    c.add("zip", "zip-garbage-kml.kmz", kmz([("doc.kml", bytes(rng.randrange(256) for _ in range(3000)))]), "doc.kml is random bytes")
    c.add("zip", "zip-unsupported-method.kmz", (lambda b: b.replace(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", b"PK\x03\x04\x14\x00\x00\x00\x63\x00", 1)
                                                .replace(b"\x00\x08\x00", b"\x00\x63\x00"))(kmz([("doc.kml", good_kml)])),
          "unknown compression method")
    c.add("zip", "zip-only-end-record.kmz", b"PK\x05\x06" + b"\0" * 18, "end-of-archive record only")
    c.add("zip", "zip-dir-named-kml.kmz", kmz([("doc.kml/", b"")]), "a folder named doc.kml")
    c.add("zip", "kml-in-kmz-broken.kmz", kmz([("doc.kml", good_kml[:500])]), "doc.kml cut short inside a valid archive")

    # ---- CSV
    c.add("csv", "csv-mismatched-columns.csv", "lat,lon,name\n39.1\n", "a row with fewer columns than the header (no longitude)")
    c.add("csv", "csv-bad-number.csv", csv_rows("thirty-nine,125,a,,,,,,,"), "latitude is a word")
    c.add("csv", "csv-two-dots.csv", csv_rows("39.1.2,125,a,,,,,,,"), "latitude 39.1.2")
    c.add("csv", "csv-hex-number.csv", csv_rows("0x27,125,a,,,,,,,"), "latitude in hexadecimal")
    c.add("csv", "csv-empty-lat.csv", csv_rows(",125,a,,,,,,,"), "empty latitude")
    c.add("csv", "csv-big-cell.csv", "lat,lon,notes\n39,125," + "n" * 200_000 + "\n", "a 200 KB cell (over the CSV field limit)")
    c.add("csv", "csv-quote-unclosed.csv", 'lat,lon,name\n39,125,"never closed\n40,126,b\n', "a quote never closed (read to the end like a spreadsheet does: may be accepted)",
          imports="any")
    c.add("csv", "csv-nul.csv", "lat,lon,name\n39,125,a\x00b\n", "NUL inside a cell")
    c.add("csv", "csv-bad-colour.csv", csv_rows("39,125,a,,,,,red,,"), "colour 'red'")
    c.add("csv", "csv-bad-kind.csv", csv_rows("39,125,a,,,,,,area,"), "a row of kind area")
    c.add("csv", "csv-bad-status.csv", csv_rows("39,125,a,,,,rumoured,,,"), "status 'rumoured'")
    c.add("csv", "csv-ring-no-radius.csv", csv_rows("39,125,a,,,,,,range_ring,"), "a ring without radius")
    c.add("csv", "csv-header-newline.csv", '"la\nt","lo\nn"\n39,x\n', "header cells with line breaks, a bad longitude")
    c.add("csv", "csv-header-only-newline-names.csv", '"a\nb","c\rd"\n1,2\n', "no lat/lon column; header names with line breaks")
    c.add("csv", "csv-text-too-long.csv", "lat,lon,name\n39,125," + "n" * 20_001 + "\n", "a name over 20,000 characters")
    c.add("csv", "csv-comma-decimal-mixed.csv", "lat;lon\n39,5;125,1,2\n", "semicolon CSV with a bad decimal comma")
    c.add("csv", "csv-second-row-bad.csv", csv_rows("39,125,a,,,,,,,", "39,125,b,,,,,,,", "95,125,c,,,,,,,"),
          "the third row is bad: nothing from the first two may be kept")

    # ---- other KML faults
    c.add("kml", "kml-not-kml.kml", "<html><body>hello</body></html>", "HTML, not KML")
    c.add("kml", "kml-mismatched-tags.kml", KML_HEAD + "<Placemark><name>x</Placemark>" + KML_TAIL, "mismatched tags")
    c.add("kml", "kml-bad-coordinate.kml", kml(placemark("p", point("ten", 10))), "longitude 'ten'")
    c.add("kml", "kml-one-number.kml", kml(placemark("p", "<Point><coordinates>10</coordinates></Point>")), "a coordinate with one number")
    c.add("kml", "kml-two-points.kml", kml(placemark("p", "<Point><coordinates>10,10 11,11</coordinates></Point>")), "a point with two coordinates")
    c.add("kml", "kml-line-one-point.kml", kml(placemark("p", "<LineString><coordinates>10,10</coordinates></LineString>")), "a line of one point")
    c.add("kml", "kml-unknown-geometry.kml", kml(placemark("p", "<Model><Location/></Model>")), "a 3D model")
    c.add("kml", "kml-bad-status.kml", kml(placemark("p", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>place</value></Data>"
                                                     "<Data name=\"sitmap_status\"><value>rumoured</value></Data></ExtendedData>")), "status 'rumoured'")
    c.add("kml", "kml-bad-kind.kml", kml(placemark("p", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>circle</value></Data></ExtendedData>")),
          "SitMap kind 'circle'")
    c.add("kml", "kml-bad-properties-json.kml", kml(placemark("p", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>place</value></Data>"
                                                              "<Data name=\"sitmap_properties\"><value>{not json</value></Data></ExtendedData>")),
          "sitmap_properties is not JSON")
    c.add("kml", "kml-properties-infinity.kml", kml(placemark("p", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>place</value></Data>"
                                                              "<Data name=\"sitmap_properties\"><value>{\"x\": 1e999}</value></Data></ExtendedData>")),
          "sitmap_properties holds 1e999")
    c.add("kml", "kml-properties-surrogate.kml", kml(placemark("p", point(1, 1), "<ExtendedData><Data name=\"sitmap_kind\"><value>place</value></Data>"
                                                               "<Data name=\"sitmap_properties\"><value>{\"x\": \"\\ud800\"}</value></Data></ExtendedData>")),
          "sitmap_properties holds a lone surrogate escape")
    c.add("kml", "kml-name-too-long.kml", kml(placemark("n" * 20_001, point(1, 1))), "a name over 20,000 characters")
    c.add("kml", "kml-char-ref-nul.kml", kml(placemark("&#0;", point(1, 1))), "character reference &#0;")
    c.add("kml", "kml-char-ref-surrogate.kml", kml(placemark("&#xD800;", point(1, 1))), "character reference to a surrogate")
    c.add("kml", "kml-third-bad-placemark.kml", kml(placemark("a", point(1, 1)), placemark("b", point(2, 2)), placemark("c", point(3, 95))),
          "the third placemark is bad: nothing from the first two may be kept")

    # ---- other JSON faults
    doc = base_doc()
    feature(doc, "launch-point")["properties"]["x"] = "SURROGATE"
    c.add("json-text", "lone-surrogate.geojson", dumps(doc).replace("SURROGATE", "\\ud800"),
          "a property holds a lone surrogate escape (cannot be saved as UTF-8)")
    c.add("json-text", "lone-surrogate-key.geojson", dumps(doc).replace('"x": "SURROGATE"', '"\\udfff": 1'),
          "a property name is a lone surrogate")
    doc = base_doc()
    doc["sitmap"]["title"] = "t" * 20_001
    c.add("json-text", "title-too-long.geojson", dumps(doc), "title over 20,000 characters")
    doc = base_doc()
    doc["sitmap"]["event_time_utc"] = "9999-12-31T23:30:00-01:00"
    c.add("json-text", "time-beyond-9999.geojson", dumps(doc), "event time past 9999-12-31 in UTC")
    c.add("json-text", "plain-geojson-nan.geojson", '{"type": "Point", "coordinates": [NaN, 1]}', "plain GeoJSON point with NaN")
    c.add("json-text", "plain-geojson-lat.geojson", '{"type": "Point", "coordinates": [1, 91]}', "plain GeoJSON point at latitude 91",
          scenario="refuse", imports="refuse")
    c.add("json-text", "plain-geojson-multipolygon-bowtie.geojson", json.dumps(
        {"type": "MultiPolygon", "coordinates": [[bowtie]]}), "plain GeoJSON MultiPolygon with a bow-tie")
    c.add("json-text", "plain-geojson-no-geometry.geojson", '{"type": "Feature", "properties": {}, "geometry": null}',
          "plain GeoJSON feature without geometry")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    c = Corpus(out)
    build(c)
    (out / "MANIFEST.json").write_text(json.dumps(c.entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum((out / e["file"]).stat().st_size for e in c.entries)
    cats: dict[str, int] = {}
    for e in c.entries:
        cats[e["category"]] = cats.get(e["category"], 0) + 1
    print(f"{len(c.entries)} files, {total / 1e6:.2f} MB in {out}")
    for k, v in cats.items():
        print(f"  {k:15s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
