"""GeoJSON export of what is drawn: rings and paths as the densified shapes shown,
split at the antimeridian (RFC 7946), each keeping its feature's id and properties; the map's facts
and own fields beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.model.project import feature_lines, write_atomic
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


def exchange_geojson(scenario: Scenario) -> dict[str, Any]:
    """The drawn map, with its facts and its own fields as foreign members (other tools pass them
    over; SitMap reads them back: :mod:`viewer.model.io.carried`)."""
    from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER, carried_facts, carried_fields, every_layer_listed

    scenario = every_layer_listed(scenario)
    doc = drawn_geojson(scenario)
    fields = carried_fields(scenario)
    if fields:
        doc[MAP_MEMBER] = fields
    if scenario.facts:
        doc[FACTS_MEMBER] = carried_facts(scenario)
    return doc


def write_geojson(scenario: Scenario, path: Path) -> None:
    """The drawn map as a GeoJSON file, a feature a line (as a saved map is written)."""
    with collector_paused():  # 100,000 features: millions of lists (the collector doubled the time)
        data = feature_lines(exchange_geojson(scenario))
    write_atomic(path, data)
