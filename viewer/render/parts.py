"""A large map of lines and areas drawn in parts, each given to the page as soon as it is drawn.

At start-up with a map of 100,000 lines and areas, Python draws them for about two seconds and
the page then builds, adds and paints them for more than one: one after the other. Drawn in
parts, the page builds, adds and paints each part while Python draws the next, and only the last
part's work is left once Python is done.

The parts are in the order the page stacks them on its canvas (its layers lowest first, each
layer's features in map order), so that a shape added with a later part lies above those of the
parts before it, as it would had all come at once (sitmap.js drawFeatures). The plain points,
which the page draws on a layer of their own from columns, all come with the first part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.model.geometry import prepare_shapes
from viewer.model.scenario import Scenario
from viewer.model.style import assign_colours, group_of
from viewer.render import layers as layer_mod

PARTS_FROM = 20_000  # lines and areas: from this many on, a start-up draws a map in parts
PART_SIZE = 12_500  # lines and areas a part (the first also carries every plain point)


def worth_parts(features: Iterable) -> bool:
    """Whether a map has enough lines and areas for its drawing in parts to pay."""
    n = 0
    for f in features:
        if f.kind == "path" or f.kind == "area":
            n += 1
            if n >= PARTS_FROM:
                return True
    return False


class _Groups(list):
    """Features drawn so far, standing for the whole map where only its layers are asked for
    (layers.present_groups asks ``groups()``): every layer the map's features are drawn in."""

    def __init__(self, drawn: Iterable, groups: list[str]):
        super().__init__(drawn)
        self._groups = groups

    def groups(self) -> list[str]:
        return self._groups


@dataclass
class Plan:
    """What is drawn in which part: ``parts`` lists each part's feature indices (into
    ``features``, the map's features as they are drawn: rings with their palette colours)."""

    features: list
    groups: list[str]  # the layers the map's features are drawn in, in map order
    parts: list[list[int]]

    def first(self, drawn: list) -> list:
        """The first part's drawn features, answering for the whole map's layers (for its payload)."""
        return _Groups(drawn, self.groups)


def stacking(scenario: Scenario, groups: list[str]) -> dict[str, int]:
    """Each layer's place as the page stacks them (0 lowest): the arrangement's order, the
    layers it does not name below it (sitmap.js drawFeatures)."""
    drawn = _Groups((), groups)
    present = layer_mod.present_groups(scenario, drawn)
    order = [x["id"] for x in layer_mod.arranged_layers(scenario, drawn)]  # top first
    placed = set(order)
    lowest_first = [g for g in present if g not in placed] + order[::-1]
    return {g: k for k, g in enumerate(lowest_first)}


def plan(scenario: Scenario, part_size: int | None = None) -> Plan:
    """The map's features in parts of ``part_size`` lines, areas and other shapes (default
    PART_SIZE), the first with every plain point too, in the order the page stacks them."""
    features = assign_colours(list(scenario.features))
    of = [group_of(f) for f in features]
    groups = list(dict.fromkeys(of))
    rank = stacking(scenario, groups)
    plain = layer_mod.is_plain_point
    points: list[int] = []
    ranked: dict[int, list[int]] = {}  # the rest by their layer's place, each in map order
    for i, f in enumerate(features):
        if f.kind == "place" and plain(f):
            points.append(i)
        else:
            at = rank.get(of[i], -1)
            if at in ranked:
                ranked[at].append(i)
            else:
                ranked[at] = [i]
    rest = [i for at in sorted(ranked) for i in ranked[at]]  # (as a stable sort by place would give them)
    size = max(1, PART_SIZE if part_size is None else part_size)
    parts = [points + rest[:size]] + [rest[k:k + size] for k in range(size, len(rest), size)]
    return Plan(features, groups, parts)


def draw_parts(p: Plan, give: Callable[[int, list], Any]) -> list:
    """Draw the plan's parts in turn, ``give(k, drawn)`` each as soon as it is drawn; returns
    every drawn feature in map order, as layers.draw_scenario draws them (the same geodesics: in
    bulk, as a map with this many lines and areas is drawn everywhere: PARTS_FROM is well above
    geodesic_solver.BULK_SHAPES, so many_geodesics need not count them again)."""
    from viewer.model.geodesic_solver import compiled

    out: list = [None] * len(p.features)
    with collector_paused(), compiled(True):
        for k, part in enumerate(p.parts):
            chosen = [p.features[i] for i in part]
            prepare_shapes(chosen)
            drawn = [layer_mod.draw_feature(f) for f in chosen]
            for i, d in zip(part, drawn):
                out[i] = d
            give(k, drawn)
    return out
