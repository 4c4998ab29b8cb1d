"""A map's facts and its own fields (subtitle, event time, local time, fact groups, sources,
briefing banner, article) as they travel in the exchange files beside the features: a GeoJSON
export's foreign members, a GeoPackage's attribute tables, a KML document's ExtendedData. Written
from the map as SitMap saves them; read back leniently: a fact that cannot be kept (its feature left
out, no source, an unknown status) is left out and said so, a field that cannot be read is named in
a note, and the rest of the map opens."""

from __future__ import annotations

from typing import Any

from viewer.model.rules import Rules, ScenarioError
from viewer.model.scenario import Fact, Scenario, check_fact, check_meta, fact_to_json, meta_to_json

FACTS_MEMBER = "facts"  # a GeoJSON export's member, a GeoPackage's table: the facts, each with its source
MAP_MEMBER = "sitmap_map"  # the map's own fields ("sitmap" alone marks SitMap's own file, read exactly)
# The map's fields carried (as SitMap's file names them); its view travels as the features' extent,
# its layers as the format's own (folders, a layer column: ``layers`` only says which are hidden or
# locked, and their order), and its title too where the format has one (a GeoJSON's name, a KML
# document's: that one is the title, as another tool may have renamed it).
CARRIED_FIELDS = ("title", "subtitle", "article", "event_time_utc", "local_time", "groups", "sources", "banner",
                  "layers")
_SCENARIO_NAMES = {"sources": "sources_list"}
FACTS_LEFT_OUT = "facts that cannot be kept (the reason follows each)"
MAX_FACTS = 10_000


def carried_facts(scenario: Scenario) -> list[dict[str, Any]]:
    """The map's facts as SitMap's file writes them."""
    return [fact_to_json(f) for f in scenario.facts]


def carried_fields(scenario: Scenario, title: bool = False) -> dict[str, Any]:
    """The map's own fields that the exchange files carry (those it has); its title only if asked
    (a format without a title of its own: a GeoPackage)."""
    meta = meta_to_json(scenario)
    return {k: meta[k] for k in CARRIED_FIELDS if k in meta and (title or k != "title")}


def read_fields(raw: Any, source: str, report) -> dict[str, Any]:
    """The map's fields from an exchange file, as keyword arguments of ``Scenario``; each one the
    rules refuse is left aside and named in a note (the map opens without it)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        report.note(f"The map's own fields ({MAP_MEMBER}) were not read: not an object")
        return {}
    out: dict[str, Any] = {}
    refused: list[str] = []
    for key in CARRIED_FIELDS:
        if key not in raw:
            continue
        try:
            checked = check_meta(Rules(source), {"title": "-", key: raw[key]})
        except ScenarioError as e:
            refused.append(f"{key} ({e.what})")
            continue
        name = _SCENARIO_NAMES.get(key, key)
        out[name] = checked[name]
    if refused:
        report.note(f"The map's own fields not read: {'; '.join(r[:120] for r in refused[:3])}")
    return out


def read_facts(raw: Any, feature_ids: set[str], source: str, report) -> list[Fact]:
    """The facts an exchange file carries, each checked as SitMap's own file checks it; one that
    fails (its feature not in the map, no source...) is left out and counted with its reason."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        report.note(f"The map's facts ({FACTS_MEMBER}) were not read: not a list")
        return []
    rules = Rules(source)
    facts: list[Fact] = []
    fact_ids: set[str] = set()
    for i, item in enumerate(raw):
        if len(facts) >= MAX_FACTS:
            report.left_out(FACTS_LEFT_OUT, f"facts past the first {MAX_FACTS:,}")
            break
        try:
            facts.append(Fact(**check_fact(rules, item, f"facts[{i}]", feature_ids, fact_ids)))
        except ScenarioError as e:
            report.left_out(FACTS_LEFT_OUT, f"{e.where}: {e.what}")
    return facts


def arranged(layers: list[dict], carried: list[dict] | None) -> list[dict]:
    """The layers a file's features are in (by their labels), each hidden or locked and in the order
    the map's carried arrangement says where it names a layer of that label."""
    if not carried:
        return layers
    by_label = {}
    for i, x in enumerate(carried):
        by_label.setdefault(x.get("label"), (i, x))
    out = []
    for x in layers:
        hit = by_label.get(x.get("label"))
        out.append(dict(x, visible=hit[1].get("visible", True), locked=hit[1].get("locked", False)) if hit else x)
    order = {id(x): (by_label[x.get("label")][0] if x.get("label") in by_label else len(carried)) for x in out}
    return sorted(out, key=lambda x: order[id(x)])
