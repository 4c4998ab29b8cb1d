"""The map's own data exports (GeoJSON, KML/KMZ, CSV) with a time window applied: what lies
outside the window is left out, and the GeoJSON and KML say which window is shown. No Qt here."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from viewer.model.project import write_atomic
from viewer.model.scenario import Scenario
from viewer.model.time_window import Window, Windowed, in_window


def write_data(path: Path, scenario: Scenario, window: Window | None) -> Windowed:
    """Write ``scenario`` to ``path`` (the writer follows the suffix) as ``window`` shows it."""
    from viewer.export.writers import writer_for

    path = Path(path)
    writer = writer_for(path)
    shown = in_window(scenario, window)
    if window is None:
        writer.write(scenario, path)
        return shown
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        from viewer.export.geojson import exchange_geojson

        doc = exchange_geojson(shown.scenario)
        doc["time_window"] = shown.as_json()
        write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    elif suffix in (".kml", ".kmz"):
        # The document's description (the map's subtitle) states the window shown.
        subtitle = " \u00b7 ".join(p for p in (shown.scenario.subtitle, shown.statement()) if p)
        writer.write(replace(shown.scenario, subtitle=subtitle), path)
    else:
        writer.write(shown.scenario, path)
    return shown
