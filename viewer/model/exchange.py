"""Exchange annotations with Google Earth (KML/KMZ), QGIS and geojson.io (GeoJSON) and spreadsheets
(CSV): the public names, kept here for the modules and scripts that import them. The readers and
writers live in :mod:`viewer.model.io`, one format per module."""

from __future__ import annotations

from viewer.model.io.annotations import import_annotations
from viewer.model.io.csv_points import CSV_COLUMNS, export_csv, import_csv, neutralise, unneutralise
from viewer.model.io.geojson_any import import_geojson
from viewer.model.io.kml import html_to_text, import_kml
from viewer.model.io.kml_write import KML_NS, export_kml, export_kmz
from viewer.model.io.xml_safe import KMZ_MAX_ENTRIES, KMZ_MAX_RATIO

__all__ = [
    "CSV_COLUMNS",
    "KML_NS",
    "KMZ_MAX_ENTRIES",
    "KMZ_MAX_RATIO",
    "export_csv",
    "export_kml",
    "export_kmz",
    "html_to_text",
    "import_annotations",
    "import_csv",
    "import_geojson",
    "import_kml",
    "neutralise",
    "unneutralise",
]
