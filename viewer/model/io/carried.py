"""A map's facts and its own fields (subtitle, event time, local time, fact groups, sources,
briefing banner, article) as they travel in the exchange files beside the features: a GeoJSON
export's foreign members, a GeoPackage's attribute tables, a KML document's ExtendedData. Written
from the map as SitMap saves them; read back leniently: a fact that cannot be kept (its feature left
out, no source, an unknown status) is left out and said so, a field that cannot be read is named in
a note, and the rest of the map opens."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from viewer.model.io.common import layer_id
from viewer.model.rules import MAX_FEATURES, Rules, ScenarioError
from viewer.model.scenario import Fact, Scenario, check_fact, check_meta, fact_to_json, meta_to_json

FACTS_MEMBER = "facts"  # a GeoJSON export's member, a GeoPackage's table: the facts, each with its source
MAP_MEMBER = "sitmap_map"  # the map's own fields ("sitmap" alone marks SitMap's own file, read exactly)
# The map's fields carried (as SitMap's file names them; its opening view where it has one of its own,
# else it opens on the features' extent), its layers as the format's own (folders, a layer column: ``layers`` says each one's id, which are
# hidden or locked, and their order; the features of a layer whose label another shares, and that a
# layer is empty, as its ``features``), and its title too where the format has one (a GeoJSON's name, a KML
# document's: that one is the title, as another tool may have renamed it).
CARRIED_FIELDS = ("title", "subtitle", "article", "event_time_utc", "local_time", "groups", "sources", "banner",
                  "layers", "view")
_SCENARIO_NAMES = {"sources": "sources_list"}
MEMBERS = "features"  # a carried layer's: the ids of its features ([]: an empty layer)
_CONTROL_RE = re.compile("[\x00-\x1f\x7f]")
FACTS_LEFT_OUT = "facts that cannot be kept (the reason follows each)"
MAX_FACTS = 10_000


def every_layer_listed(scenario: Scenario) -> Scenario:
    """The map with each layer its features name in its layers list: one a feature names and the
    list leaves out (a map a script or another tool made) is shown as its own layer under its id,
    and goes into an exchange file as one, not dropped or renamed. The same map when none is left out."""
    from viewer.model.style import GROUPS

    listed = {x["id"] for x in scenario.layers}
    built_in = dict(GROUPS)
    missing: dict[str, dict[str, Any]] = {}
    for f in scenario.features:
        lid = f.properties.get("layer")
        if lid and lid not in listed and lid not in missing:
            missing[lid] = {"id": lid, "label": built_in.get(lid, lid), "visible": True, "locked": False}
    return replace(scenario, layers=[*scenario.layers, *missing.values()]) if missing else scenario


def carried_facts(scenario: Scenario) -> list[dict[str, Any]]:
    """The map's facts as SitMap's file writes them."""
    return [fact_to_json(f) for f in scenario.facts]


def carried_fields(scenario: Scenario, title: bool = False) -> dict[str, Any]:
    """The map's own fields that the exchange files carry (those it has); its title only if asked
    (a format without a title of its own: a GeoPackage)."""
    meta = meta_to_json(scenario)
    out = {k: meta[k] for k in CARRIED_FIELDS if k in meta and (title or k != "title")}
    if "layers" in out:
        out["layers"] = _with_members(scenario, out["layers"])
    return out


def _with_members(scenario: Scenario, layers: list[dict]) -> list[dict]:
    """The map's layers, each that the file's own layering cannot tell apart from another (one
    label for two: a GeoJSON's or GeoPackage's layer column names them alike) listing its features'
    ids, and each empty one an empty list (the file has nothing of it)."""
    from viewer.model.style import group_of

    members: dict[str, list[str]] = {x["id"]: [] for x in layers}
    for f in scenario.features:  # (an entry may be a built-in group's, the crossing's relabelled: its features too)
        lid = group_of(f)
        if lid in members:
            members[lid].append(f.id)
    names: dict[str, int] = {}
    for x in layers:
        names[written_name(x)] = names.get(written_name(x), 0) + 1
    return [dict(x, **{MEMBERS: members[x["id"]]}) if names[written_name(x)] > 1 or not members[x["id"]] else x
            for x in layers]


def map_left_out(why: str) -> str:
    """The open report's note of a map's own fields (and its layers' arrangement) left out, and why."""
    return f"The map's own fields and its layers' arrangement ({MAP_MEMBER}) were left out: {why}"


def facts_left_out(why: str) -> str:
    """The open report's note of a map's facts left out (all of them), and why."""
    return f"The map's facts ({FACTS_MEMBER}) were left out: {why}"


def read_fields(raw: Any, source: str, report) -> dict[str, Any]:
    """The map's fields from an exchange file, as keyword arguments of ``Scenario``; each one the
    rules refuse is left aside and named in a note (the map opens without it)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        report.note(map_left_out("not an object"))
        return {}
    out: dict[str, Any] = {}
    refused: list[str] = []
    for key in CARRIED_FIELDS:
        if key not in raw:
            continue
        notes: list[str] = []  # (what it leaves out rather than refuses: a local time's unknown zone)
        try:
            checked = check_meta(Rules(source), {"title": "-", key: raw[key]}, notes)
            for note in notes:
                report.note(note)
        except ScenarioError as e:
            refused.append(f"{key} ({e.what})")
            continue
        name = _SCENARIO_NAMES.get(key, key)
        out[name] = checked[name]
        if key == "layers":  # (each one's features, where listed: the rules' check keeps none)
            out[name] = [_members_of(x, given) for x, given in zip(out[name], raw[key])]
    if refused:
        report.note(f"The map's own fields not read: {'; '.join(r[:120] for r in refused[:3])}")
    return out


def _members_of(layer: dict, given: Any) -> dict:
    """A carried layer with the ids of its features its entry lists, where they are a list of ids."""
    ids = given.get(MEMBERS) if isinstance(given, dict) else None
    if isinstance(ids, list) and len(ids) <= MAX_FEATURES and all(isinstance(i, str) for i in ids):
        return dict(layer, **{MEMBERS: ids})
    return layer


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


def arranged(layers: list[dict], carried: list[dict] | None, features: list) -> tuple[list[dict], list]:
    """The layers a file's features are in, and the features, as the map's carried arrangement
    says: each layer by its id (its features the arrangement lists, where it lists them: layers of
    one label) else by its label, in the order, hidden or locked and with the id the map gave it;
    an empty layer the map had made again. A layer the arrangement does not name (made in another
    tool) keeps its own id and follows the others."""
    if not carried:
        return layers, features
    read_name = {x["id"]: written_name(x) for x in layers}
    from viewer.model.style import GROUPS, group_of

    built_in = {g for g, _ in GROUPS}  # (an entry relabelling a built-in group: no layer of the file is that)
    names = [None if c["id"] in built_in else written_name(c) for c in carried]
    owner: dict[str, int] = {}  # a feature id: the carried layer listing it
    for i, c in enumerate(carried):
        for fid in c.get(MEMBERS) or ():
            owner.setdefault(fid, i)
    # 1. by id: a feature the arrangement lists, still in a layer of that label, goes back to its layer
    dest: dict[int, int] = {}  # a feature's index: its carried layer's
    claimed: dict[str, int] = {}  # a read layer's id: the first carried layer its features went to
    for k, f in enumerate(features):
        lid = f.properties.get("layer")
        i = owner.get(f.id)
        if lid in read_name and i is not None and names[i] == read_name[lid]:
            dest[k] = i
            claimed[lid] = min(i, claimed.get(lid, i))
    used = set(dest.values())
    # 2. by label (the arrangement lists no features of it: an older SitMap's, or another tool's
    # edit): the file's layers of a label in turn to the carried layers of that label not yet taken
    target: dict[str, int] = dict(claimed)
    for x in layers:
        if x["id"] in target:
            continue
        i = next((i for i, name in enumerate(names) if i not in used and name == read_name[x["id"]]), None)
        if i is not None:
            target[x["id"]] = i
            used.add(i)
    # 3. the map's empty layers, made again, and its entries relabelling a built-in group that has
    # features (they go back to it by what they are: its label, place and flags come back)
    groups = {group_of(f) for f in features if not f.properties.get("layer")}
    used.update(i for i, c in enumerate(carried) if c.get(MEMBERS) == [] or c["id"] in built_in & groups)
    out = [{k: carried[i][k] for k in ("id", "label", "visible", "locked")} for i in sorted(used)]
    taken = {x["id"] for x in out}
    renamed: dict[str, str] = {}
    for x in layers:
        if x["id"] in target:
            continue
        lid, n = x["id"], len(layers)
        while lid in taken:  # (its made id is one the map gave another layer)
            n += 1
            lid = layer_id(x["label"], n)
        taken.add(lid)
        renamed[x["id"]] = lid
        out.append(dict(x, id=lid))
    new_id = {lid: carried[target[lid]]["id"] if lid in target else renamed[lid] for lid in read_name}
    kept = []
    for k, f in enumerate(features):
        lid = f.properties.get("layer")
        want = carried[dest[k]]["id"] if k in dest else new_id.get(lid, lid)
        kept.append(f if want == lid else replace(f, properties={**f.properties, "layer": want}))
    features = kept
    return out, features


def written_name(layer: dict) -> str:
    """The name a layer is written under in an exchange file (its label, else its id) as the
    readers give it back (control characters as spaces, runs of white space as one, 200 at most)."""
    name = str(layer.get("label") or layer.get("id") or "")
    return " ".join(_CONTROL_RE.sub(" ", name).split())[:200]
