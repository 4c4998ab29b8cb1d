"""Large maps: the page gets its features as one JSON batch instead of inline script, and the
drawn features are kept up to date change by change with the same legend a full redraw gives."""

from __future__ import annotations

import json
import random
from dataclasses import replace

from viewer import resources
from viewer.model.scenario import Feature, load_scenario
from viewer.render import layers
from viewer.render.drawn_set import DrawnSet, groups_present, legend_of
from viewer.render.page import PageOptions, build_page, features_batch


def unpacked(body: bytes) -> list[dict]:
    """The batch as the page puts it back together: the features (sitmap.js unpackBatch), then the
    point columns' markers as each handle in resources/js/points.js builds its data."""
    batch = json.loads(body)
    out = []
    coords, at = batch["coords"], 0

    def positions(n):
        nonlocal at
        if isinstance(n, list):
            return [positions(part) for part in n]
        pairs = [[coords[k], coords[k + 1]] for k in range(at, at + 2 * n, 2)]
        at += 2 * n
        return pairs

    for row in batch["features"]:
        if "n" in row:
            row["latlngs"] = positions(row.pop("n"))
        if "$" in row:
            row = {**batch["shared"][row.pop("$")], **row}
            row.setdefault("label", row["name"])
        out.append(row)
    c = batch["points"]
    assert len(c["id"]) == len(c["name"]) == len(c["lat"]) == len(c["lng"]) == len(c["$"])
    for j, fid in enumerate(c["id"]):
        row = {**batch["shared"][c["$"][j]], "id": fid, "name": c["name"][j], "latlngs": [c["lat"][j], c["lng"][j]]}
        row["label"] = c["label"].get(str(j), row["name"])
        out.append(row)
    assert at == len(coords)  # every position is some row's
    return out


def same_features(body: bytes, drawn) -> bool:
    """The batch holds each drawn feature once, whole as the page draws it; the features that are not
    plain markers keep their order (the plain ones are drawn by the point layer, in its own order)."""
    got = unpacked(body)
    want = json.loads(json.dumps([d.to_page() for d in drawn]))
    by_id = {f["id"]: f for f in got}
    columns = set(json.loads(body)["points"]["id"])
    return (len(got) == len(by_id) == len(want) and all(by_id.get(f["id"]) == f for f in want)
            and [f["id"] for f in got if f["id"] not in columns] == [f["id"] for f in want if f["id"] not in columns])


def builtin():
    s = load_scenario(resources.default_scenario())
    return s, layers.draw_scenario(s)


def test_a_page_with_a_features_url_carries_no_feature_inline_and_the_batch_is_what_it_would_have_inlined():
    s, drawn = builtin()
    url = "sitmap://app/data/view1-features-1.json"
    html = build_page(s, drawn, PageOptions(features_url=url, online_specs=[]))
    assert json.dumps(url)[1:-1] in html
    assert "ring-380km" not in html and "launch-point" not in html
    inline = build_page(s, drawn, PageOptions(online_specs=[]))
    assert "ring-380km" in inline
    assert same_features(features_batch(drawn), drawn)


def test_text_in_the_batch_stays_json_text():
    s, drawn = builtin()
    f = Feature("evil", "place", {"type": "Point", "coordinates": [125.0, 39.0]},
                {"name": "</script><script>alert(1)</script>\u2028", "annotation": True})
    body = features_batch(drawn + [layers.draw_feature(f)])
    assert unpacked(body)[-1]["name"] == "</script><script>alert(1)</script>\u2028"


def point(i, colour=None):
    props = {"name": f"P{i}", "annotation": True, "role": "marker"}
    if colour:
        props["style"] = {"color": colour}
    return layers.draw_feature(Feature(f"p-{i}", "place", {"type": "Point", "coordinates": [120 + i % 7, 35]}, props))


def test_plain_markers_share_what_they_have_in_common_and_come_back_whole():
    _s, drawn = builtin()
    many = [point(i, ["#112233", None, "#445566"][i % 3]) for i in range(3000)]
    many[5] = layers.draw_feature(Feature("p-5", "place", {"type": "Point", "coordinates": [121.5, 35.25]},
                                          {"name": "Five", "label": "Site five", "annotation": True,
                                           "status": "claimed", "source": "A report"}))
    drawn = drawn + many
    body = features_batch(drawn)
    batch = json.loads(body)
    shared = [batch["shared"][k] for k in set(batch["points"]["$"])]
    assert len(shared) == 4  # three styles, and the claimed one from another source
    assert sorted(batch["points"]["id"]) == sorted(d.id for d in many)  # every plain marker in the columns
    assert not any(row["id"].startswith("p-") for row in batch["features"])
    assert batch["points"]["label"] == {"5": "Site five"}  # only a label that is not the name
    assert len(body) < 0.35 * len(json.dumps([d.to_page() for d in drawn]))
    assert same_features(body, drawn)


def test_lines_and_areas_without_extras_share_what_they_have_in_common_and_come_back_whole(tmp_path):
    from tools.big_projects import write_project

    s = load_scenario(write_project(tmp_path / "shapes.geojson", 600, "mixed"))
    labelled = Feature("l-label", "path", {"type": "LineString", "coordinates": [[120, 35], [121, 36]]},
                       {"name": "Road", "label": "Road 7", "annotation": True})
    drawn = layers.draw_scenario(s) + [layers.draw_feature(labelled)]
    body = features_batch(drawn)
    batch = json.loads(body)
    rows = {row["id"]: row for row in batch["features"]}
    # a generated line or area: its id, name, empty label and how many positions it has in the
    # batch's one list of them, the rest shared
    assert set(rows["l-1"]) == {"$", "id", "name", "label", "n"} and rows["l-1"]["label"] == ""
    assert set(rows["a-2"]) == {"$", "id", "name", "label", "n"} and isinstance(rows["a-2"]["n"], list)
    assert "$" not in rows["l-label"] and rows["l-label"]["labelAt"]  # a label drawn on the map: whole
    assert len({rows[f"l-{i}"]["$"] for i in range(1, 600, 2)} | {rows[f"a-{i}"]["$"] for i in range(2, 601, 2)}) == 2
    assert len(body) < 0.6 * len(json.dumps([d.to_page() for d in drawn]))
    assert same_features(body, drawn)


def test_the_kept_up_legend_and_groups_are_those_of_a_full_redraw():
    _s, drawn = builtin()
    kept = DrawnSet(drawn)
    rng = random.Random(3)
    live = list(drawn)
    for i in range(300):
        if live and rng.random() < 0.3:
            d = live.pop(rng.randrange(len(live)))
            kept.remove(d.id)
        else:
            d = point(i, rng.choice([None, "#112233", "#445566"]))
            live.append(d)
            kept.put(d)
        assert [d.id for d in kept] == [d.id for d in live]
        want = layers.legend_entries(live)
        got = legend_of(kept)
        assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, want))
        groups = [g for g, _ in layers.GROUPS]
        assert groups_present(kept, groups) == groups_present(live, groups)


def one_by_one(drawn) -> DrawnSet:
    kept = DrawnSet()
    for d in drawn:
        kept.put(d)
    return kept


def counts_of(kept: DrawnSet) -> list:
    """Everything a DrawnSet keeps, in its order."""
    return [list(kept._by_id.items()), [(k, n, r if isinstance(r, dict) else r.id, f) for k, (n, r, f) in kept._legend.items()],
            kept._named, list(kept._plain.items()), list(kept._folded.items()), list(kept._groups.items())]


def test_a_set_made_at_once_keeps_what_one_made_feature_by_feature_keeps(tmp_path):
    from tools.big_projects import write_project

    s = load_scenario(write_project(tmp_path / "shapes.geojson", 300, "mixed"))
    rng = random.Random(5)
    drawn = layers.draw_scenario(s)
    ring = next(d for d in drawn if d.symbol == "ring")
    named_ring = layers.draw_feature(Feature("r-a", "range_ring", {"type": "Point", "coordinates": [125, 39]},
                                             {"radius_m": 5000, "name": "Mine", "annotation": True}))
    text = layers.draw_feature(Feature("t-a", "place", {"type": "Point", "coordinates": [125, 39]},
                                       {"name": "Note", "role": "label", "annotation": True}))
    unnamed = layers.draw_feature(Feature("u-a", "place", {"type": "Point", "coordinates": [125, 39]},
                                          {"name": "", "annotation": True}))
    layered = layers.draw_feature(Feature("l-a", "place", {"type": "Point", "coordinates": [125, 39]},
                                          {"name": "P1", "annotation": True, "layer": "mine"}))
    extra = [point(i, rng.choice([None, "#112233", "#445566"])) for i in range(400)]
    extra += [named_ring, text, unnamed, layered, point(7), ring]  # a name twice; ids twice (replaced)
    mixed = drawn + extra
    rng.shuffle(mixed)
    # layers first seen among the quick ones, in turn (their order is the layers panel's)
    layered_points = [layers.draw_feature(Feature(f"q-{i}", "place", {"type": "Point", "coordinates": [125, 39]},
                                                  {"name": f"Q{i}", "annotation": True, "layer": layer}))
                      for i, layer in enumerate(["zeta", "alpha", "zeta", "mid", "alpha"])]
    for case in (drawn + extra, mixed, extra, [], layered_points, layered_points + extra + layered_points[:2]):
        assert counts_of(DrawnSet(case)) == counts_of(one_by_one(case))
        assert DrawnSet(case).legend() == one_by_one(case).legend()


def test_replacing_keeps_the_place_and_reorder_follows_the_map():
    _s, drawn = builtin()
    kept = DrawnSet(drawn)
    first = drawn[0]
    moved = point(999)
    kept.put(moved)
    ids = [d.id for d in kept]
    assert ids[0] == first.id and ids[-1] == "p-999"
    kept.reorder(["p-999"] + [d.id for d in drawn])
    assert [d.id for d in kept][0] == "p-999" and kept[0].id == "p-999" and len(kept) == len(drawn) + 1


def test_a_legend_lists_the_analysts_names_until_there_are_too_many_to_read_then_one_row_per_kind():
    _s, drawn = builtin()
    base = layers.legend_entries(drawn)
    few = [point(i) for i in range(layers.LEGEND_NAMED_MAX)]
    rows = layers.legend_entries(drawn + few)
    assert [r["text"] for r in rows[len(base):]] == [f"P{i}" for i in range(layers.LEGEND_NAMED_MAX)]
    many = [point(i, "#112233" if i % 3 == 0 else None) for i in range(1000)]
    rows = layers.legend_entries(drawn + many)
    extra = rows[len(base):]
    assert rows[:len(base)] == base  # the event's rows stay as they were
    assert sorted(r["text"] for r in extra) == ["Marker (334)", "Marker (666)"]
    assert {r["color"] for r in extra} == {"#112233", many[1].style.get("color")}
    kept = DrawnSet(drawn + many)
    assert sorted(map(json.dumps, kept.legend())) == sorted(map(json.dumps, rows))
    for d in many[:-layers.LEGEND_NAMED_MAX]:
        kept.remove(d.id)  # back to a readable number: the names again
    assert [r["text"] for r in kept.legend()[len(base):]] == [d.name for d in many[-layers.LEGEND_NAMED_MAX:]]


def test_the_legend_counted_on_its_own_is_the_drawn_sets_row_for_row():
    """A large map's legend is counted before its drawn set is made (the page gets it sooner): it
    is the drawn set's, in the same order, whether the analyst's names are listed or folded, with
    named rings, unnamed annotations, lines, areas and text among them, and names shared."""
    _s, drawn = builtin()
    rng = random.Random(5)

    def extra(i):
        kind = rng.choice(["point", "point", "point", "unnamed", "line", "area", "ring", "text", "same name"])
        colour = rng.choice([None, "#112233", "#445566"])
        if kind == "point":
            return point(i, colour)
        if kind == "same name":
            return replace(point(i % 3, colour), id=f"s-{i}")  # a name another feature has
        props = {"annotation": True, "name": f"F{i}", **({"style": {"color": colour}} if colour else {})}
        if kind == "unnamed":
            props["name"] = ""
            return layers.draw_feature(Feature(f"u-{i}", "place", {"type": "Point", "coordinates": [121, 36]}, props))
        if kind == "line":
            geom = {"type": "LineString", "coordinates": [[120, 35], [121, 36 + i % 5]]}
            return layers.draw_feature(Feature(f"l-{i}", "path", geom, props))
        if kind == "area":
            geom = {"type": "Polygon", "coordinates": [[[120, 35], [121, 35], [121, 36], [120, 35]]]}
            return layers.draw_feature(Feature(f"a-{i}", "area", geom, props))
        if kind == "ring":
            props["radius_m"] = 1000.0 * (1 + i % 4)
            return layers.draw_feature(Feature(f"r-{i}", "range_ring", {"type": "Point", "coordinates": [125, 39]}, props))
        props["role"] = "label"
        return layers.draw_feature(Feature(f"t-{i}", "place", {"type": "Point", "coordinates": [122, 37]}, props))

    seen = set()
    for trial in range(60):
        n = rng.choice([0, 3, 8, 11, 12, 13, 14, 20, 60, 200])
        more = [extra(1000 * trial + i) for i in range(n)]
        mixed = list(drawn)
        for d in more:
            mixed.insert(rng.randrange(len(mixed) + 1), d)
        want = DrawnSet(mixed).legend()
        assert layers.legend_entries(mixed) == want, trial
        seen.add(any("(" in r["text"] and r["text"].endswith(")") and r["text"][:1] in "MLA" for r in want))
    assert seen == {True, False}  # both listed and folded legends were compared


def test_positions_are_rounded_to_six_decimals_at_any_depth():
    def slow(v):
        if isinstance(v, float):
            return round(v, 6)
        if isinstance(v, (list, tuple)):
            return [slow(x) for x in v]
        return v

    rng = random.Random(3)
    line = [(rng.uniform(-90, 90), rng.uniform(-540, 540)) for _ in range(50)]
    rings = [[[rng.uniform(-90, 90), rng.uniform(-180, 180)] for _ in range(7)] for _ in range(3)]
    odd = [(1.23456789, 2), [3.000000049, 4.5, 6.0], (7.1234567891, None)]  # not all pairs of numbers
    for v in (line, [rings], rings, (39.12345678, 125.87654321), odd, [], [[]]):
        assert layers.round_latlngs(v) == slow(v)


def test_a_legend_kept_up_while_named_features_go_is_that_of_a_full_redraw(tmp_path):
    """Removing named features one by one (a row's key worked out again as each goes), past the
    point where the legend lists the analyst's names again, and replacing some on the way."""
    _s, drawn = builtin()
    rng = random.Random(11)
    extra = [point(i, rng.choice([None, "#112233"])) for i in range(40)] + [point(i) for i in range(5)]
    kept = DrawnSet(drawn + extra)
    live = {d.id: d for d in drawn + extra}
    ids = [d.id for d in extra]
    rng.shuffle(ids)
    for n, fid in enumerate(ids):
        if n % 7 == 3 and fid in live:  # replaced by a feature of the same id and another style
            d = point(int(fid.split("-")[1]), "#445566")
            kept.put(d)
            live[fid] = d
            continue
        kept.remove(fid)
        live.pop(fid, None)
        want = layers.legend_entries(list(live.values()))
        assert sorted(map(json.dumps, kept.legend())) == sorted(map(json.dumps, want)), n
    assert [d.id for d in kept] == list(live)


def test_lines_and_areas_whose_positions_are_not_all_floats_come_back_whole(tmp_path):
    from tools.big_projects import write_project

    s = load_scenario(write_project(tmp_path / "shapes.geojson", 40, "mixed"))
    drawn = layers.draw_scenario(s)
    # (drawn positions are floats; a whole number among them leaves the rounding to each row)
    i = next(k for k, d in enumerate(drawn) if d.id == "l-3")
    drawn[i] = replace(drawn[i], latlngs=[[35, 125]] + list(drawn[i].latlngs[1:]))
    body = features_batch(drawn)
    batch = json.loads(body)
    assert batch["coords"] == [] and not any("n" in row for row in batch["features"])
    assert same_features(body, drawn)


def test_positions_the_bulk_solver_drew_are_taken_from_its_arrays_as_they_are(tmp_path):
    """A large map's lines and areas (drawn in bulk) go into the batch from the solver's arrays;
    lines and areas across the antimeridian, drawn one by one, and a drawn feature given other
    positions go in as they are drawn, each in its row's order: every row comes back whole."""
    from tools.big_projects import write_project
    from viewer.render.rounded import Flat, flatten_into

    s = load_scenario(write_project(tmp_path / "shapes.geojson", 600, "mixed"))
    across = [Feature("l-across", "path", {"type": "LineString", "coordinates": [[179.5, 10.0], [-179.0, 11.0]]},
                      {"name": "Across", "annotation": True}),
              Feature("a-across", "area", {"type": "Polygon", "coordinates": [[[179.0, -5.0], [-178.0, -5.0],
                                                                                [-178.0, -3.0], [179.0, -5.0]]]},
                      {"name": "Across area", "annotation": True})]
    drawn = layers.draw_scenario(replace(s, features=s.features[:300] + across + s.features[300:]))
    by_id = {d.id: d for d in drawn}
    line, area = by_id["l-1"], by_id["a-2"]
    assert line.drawn_shape.rows_at is not None and None not in area.drawn_shape.rows_at
    assert by_id["l-across"].drawn_shape.rows_at is None and by_id["a-across"].drawn_shape.rows_at == [None]
    # the one the solver drew: its arrays' rows, not a flattened copy
    flat = Flat()
    assert flat.put(line.latlngs, line.drawn_shape) == len(line.latlngs)
    assert type(flat._pieces[0]) is not list
    # a drawn feature given positions of its own (its shape's rows are not its positions)
    i = next(k for k, d in enumerate(drawn) if d.id == "l-5")
    moved = [(lat + 1.0, lon) for lat, lon in drawn[i].latlngs]
    drawn[i] = replace(drawn[i], latlngs=moved)
    body = features_batch(drawn)
    assert same_features(body, drawn)
    want: list[float] = []
    by_id = {d.id: d for d in drawn}
    for row in json.loads(body)["features"]:
        if "n" in row:
            assert flatten_into(by_id[row["id"]].latlngs, want) == row["n"]
    assert json.loads(body)["coords"] == [round(x, 6) for x in want]
