"""A large map of lines and areas drawn in parts for its start-up page (viewer.render.parts):
each part drawn as the whole map is drawn, every feature once, plain points with the first part,
the rest in the order the page stacks its layers."""

from __future__ import annotations

from dataclasses import replace

from tools.big_projects import write_project
from viewer.model.scenario import load_scenario
from viewer.render import layers, parts


def _map(tmp_path, n=1200, seed=4):
    return load_scenario(write_project(tmp_path / "shapes.sitmap.geojson", n, "mixed", seed=seed))


def test_every_feature_is_in_one_part_plain_points_in_the_first_the_rest_stacked_lowest_layer_first(tmp_path):
    s = _map(tmp_path)
    p = parts.plan(s, part_size=250)
    everything = [i for part in p.parts for i in part]
    assert sorted(everything) == list(range(len(s.features)))
    assert len(p.parts) > 3 and all(len(part) <= 250 for part in p.parts[1:])
    points = [i for i, f in enumerate(p.features) if layers.is_plain_point(f)]
    assert points and p.parts[0][:len(points)] == points
    rank = parts.stacking(s, p.groups)
    rest = [i for i in everything if i not in set(points)]
    ranks = [rank[layers.group_of(p.features[i])] for i in rest]
    assert ranks == sorted(ranks) and len(set(ranks)) >= 2  # several layers, lowest first
    # within a layer, map order
    for g in set(ranks):
        of_g = [i for i, r in zip(rest, ranks) if r == g]
        assert of_g == sorted(of_g)
    # In map order the layers would not come lowest first: the built-in ones (rings, the flight)
    # come before the annotations, which the page stacks lowest.
    in_map_order = [rank[layers.group_of(f)] for f in p.features if not layers.is_plain_point(f)]
    assert in_map_order != sorted(in_map_order)


def test_the_stacking_is_the_pages_the_arrangement_reversed(tmp_path):
    s = _map(tmp_path, n=200)
    groups = list(dict.fromkeys(layers.group_of(f) for f in s.features))
    arranged = [x["id"] for x in layers.arranged_layers(s, layers.draw_scenario(s))]  # top first
    rank = parts.stacking(s, groups)
    assert sorted(rank, key=rank.get) == arranged[::-1]
    # An arrangement of the analyst's own moves them.
    moved = replace(s, layers=[{"id": g, "label": g, "visible": True, "locked": False} for g in arranged[::-1]])
    rank = parts.stacking(moved, groups)
    assert sorted(rank, key=rank.get) == arranged


def test_the_parts_are_drawn_as_the_whole_map_is_and_given_in_turn(tmp_path):
    s = _map(tmp_path)
    p = parts.plan(s, part_size=300)
    given = []
    drawn = parts.draw_parts(p, lambda k, d: given.append((k, d)))
    assert [k for k, _ in given] == list(range(len(p.parts)))
    assert [[d.id for d in part] for _, part in given] == [[p.features[i].id for i in part] for part in p.parts]
    whole = layers.draw_scenario(_map(tmp_path))
    assert drawn == whole
    assert [d.latlngs for d in drawn] == [d.latlngs for d in whole]


def test_only_a_map_with_many_lines_and_areas_is_drawn_in_parts(tmp_path, monkeypatch):
    s = _map(tmp_path, n=400)
    monkeypatch.setattr(parts, "PARTS_FROM", 400)
    assert parts.worth_parts(s.features)  # (the built-in map's flight path counts too)
    monkeypatch.setattr(parts, "PARTS_FROM", 1000)
    assert not parts.worth_parts(s.features)


def test_the_first_part_answers_for_the_whole_maps_layers(tmp_path):
    s = _map(tmp_path)
    p = parts.plan(s, part_size=100)
    first = p.first(layers.draw_scenario(s)[:10])
    assert layers.present_groups(s, first) == layers.present_groups(s, layers.draw_scenario(s))
