"""Which files SitMap opens, and the file-name convention for SitMap maps.

A SitMap map is GeoJSON with SitMap's extras. Saved as ``NAME.sitmap.geojson`` it double-clicks
into SitMap (the desktop knows the type ``application/vnd.sitmap.map+json`` by that name) and,
since the name still ends in ``.geojson`` and the type is a sub-class of GeoJSON, QGIS and
geojson.io open it as plain GeoJSON.
"""

from __future__ import annotations

from pathlib import Path

MAP_SUFFIX = ".sitmap.geojson"
MAP_MIME = "application/vnd.sitmap.map+json"
GEOJSON_MIME = "application/geo+json"

#: Other formats SitMap is offered for under "Open With": file suffix -> MIME type
#: (the names the shared-mime-info database uses).
FOREIGN_MIME = {
    ".geojson": GEOJSON_MIME,
    ".kml": "application/vnd.google-earth.kml+xml",
    ".kmz": "application/vnd.google-earth.kmz",
    ".gpx": "application/gpx+xml",
    ".csv": "text/csv",
    ".gpkg": "application/geopackage+sqlite3",
}

# What File > Open, the command line and a drop on the window open as a map
# (viewer.model.io.open_any reads them; kept here, where the window can name them without it).
# GeoJSON a feature a line (newline-delimited, RFC 8142 sequences): viewer.model.io.open_any reads them
SEQUENCE_SUFFIXES = (".geojsonl", ".geojsons", ".geojsonseq", ".ndjson", ".jsonl")
OPEN_SUFFIXES = (".geojson", ".json", ".topojson", ".kml", ".kmz", ".csv", ".gpx", ".gpkg", ".shp", ".zip") + SEQUENCE_SUFFIXES
OPEN_FILTER = ("Maps and geodata (*.geojson *.json *.topojson *.kml *.kmz *.csv *.gpx *.gpkg *.shp *.zip"
               " *.geojsonl *.geojsons *.geojsonseq *.ndjson *.jsonl)"
               ";;SitMap maps and GeoJSON (*.geojson *.json);;TopoJSON (*.topojson *.json)"
               ";;GeoJSON a feature a line (*.geojsonl *.geojsons *.geojsonseq *.ndjson *.jsonl)"
               ";;Google Earth KML / KMZ (*.kml *.kmz);;CSV with latitude and longitude (*.csv);;GPX (*.gpx)"
               ";;GeoPackage (*.gpkg);;Shapefile, or a zip archive of shapefiles (*.shp *.zip)"
               ";;All files (*)")


def is_map_name(path: Path | str) -> bool:
    return str(path).lower().endswith(MAP_SUFFIX)


def map_name_for(stem: str) -> str:
    """``stem`` + the map suffix, without doubling a ``.geojson`` / ``.sitmap`` the stem already has."""
    base = stem
    for end in (".geojson", ".json", ".sitmap"):
        if base.lower().endswith(end):
            base = base[: -len(end)]
    return (base or "map") + MAP_SUFFIX


# Suffixes of other formats and of exports: a map saved under one of these names would be GeoJSON
# under a name that says otherwise (no tool, SitMap included, would open it as what it says).
OTHER_SUFFIXES = frozenset(OPEN_SUFFIXES + (".png", ".pdf", ".html", ".htm", ".svg", ".jpg", ".jpeg", ".tif",
                                            ".tiff", ".mbtiles", ".pmtiles", ".txt", ".xml", ".sqlite")) \
    - {".geojson", ".json"}


def is_geojson_name(path: Path | str) -> bool:
    """Whether the name ends as a GeoJSON file's does (.geojson or .json, any case)."""
    return str(path).lower().endswith((".geojson", ".json"))


def with_map_suffix(path: Path) -> Path:
    """The name a map is saved under: a GeoJSON name as typed; a name in another format's suffix
    (brief.kml) with the map suffix in its place (brief.sitmap.geojson); any other name (brief,
    brief v1.2) with the map suffix after it."""
    if is_geojson_name(path):
        return path
    name = path.name
    if path.suffix.lower() in OTHER_SUFFIXES:
        name = path.stem
    return path.with_name(map_name_for(name))


def proposed_map_name(current: str | None, title: str) -> str:
    """The name Save As offers: the open file's name in the map convention, else the map's title."""
    if current:
        return map_name_for(current)
    cleaned = "".join(" " if (c in '/\\:*?"<>|' or ord(c) < 32) else c for c in title).strip(" .")
    return map_name_for(" ".join(cleaned.split())[:80] or "map")
