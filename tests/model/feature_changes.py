"""Changes made to a feature as a file holds it, for the property tests of the quick checks
(test_plain_place, test_plain_shape): a few of its parts set, dropped or replaced."""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st


def changed(draw, raw: dict, *, whats: list[str], keys: list[str], value_of: Callable, ids, geometries,
            coordinates: Callable[[dict], Any], extra=None) -> dict:
    """``raw`` with none to three changes: a property set (``value_of(draw, key)``) or dropped, the
    feature's type, id (``ids``), geometry (``geometries``) or coordinates (``coordinates(geometry)``
    gives their strategy) replaced, its properties replaced by nothing, a list or {}, or a member of
    its own added (``extra``)."""
    props = raw["properties"]
    for _ in range(draw(st.integers(0, 3))):
        what = draw(st.sampled_from(whats))
        if what == "set":
            key = draw(st.sampled_from(keys))
            props[key] = value_of(draw, key)
        elif what == "drop":
            key = draw(st.sampled_from(keys + ["id@feature"]))
            if key == "id@feature":
                raw.pop("id", None)
            else:
                props.pop(key, None)
        elif what == "type":
            raw["type"] = draw(st.sampled_from(["feature", "Feature", None]))
        elif what == "id":
            raw["id"] = draw(ids)
        elif what == "geometry":
            raw["geometry"] = draw(geometries)
        elif what == "coordinates" and isinstance(raw["geometry"], dict):
            raw["geometry"]["coordinates"] = draw(coordinates(raw["geometry"]))
        elif what == "properties":
            raw["properties"] = props = draw(st.one_of(st.none(), st.just([]), st.just({})))
            if props is None or isinstance(props, list):
                break
        elif what == "extra":
            raw[draw(st.sampled_from(["bbox", "other"]))] = draw(extra)
    return raw
