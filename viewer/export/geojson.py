"""GeoJSON export of what is drawn: rings and paths as the densified shapes shown,
split at the antimeridian (RFC 7946), each keeping its feature's id and properties."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from viewer.model.scenario import Scenario
from viewer.render import layers as layer_mod


def drawn_geojson(scenario: Scenario) -> dict[str, Any]:
    """The drawn layers; each ring also lists the places inside it (nearest first)."""
    from viewer.model.gazetteer import ATTRIBUTION, rings_in_range

    doc = layer_mod.drawn_to_geojson(scenario, layer_mod.draw_scenario(scenario))
    in_range = rings_in_range(scenario)
    for feature in doc["features"]:
        info = in_range.get(feature["id"])
        if info is not None and feature["properties"].get("kind") == "range_ring":
            feature["properties"]["in_range_total"] = info["total"]
            feature["properties"]["in_range"] = [
                {"name": r.place.name, "country": r.place.country, "population": r.place.population,
                 "lat": r.place.lat, "lon": r.place.lon, "distance_m": round(r.distance_m, 1),
                 "bearing_deg": round(r.bearing_deg, 2)}
                for r in info["places"]
            ]
            feature["properties"]["in_range_source"] = ATTRIBUTION
    return doc


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename: the old file stays whole until the new one is."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent or Path(".")))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_geojson(scenario: Scenario, path: Path) -> None:
    doc = drawn_geojson(scenario)
    write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
