"""What the tests of a quick way of drawing (layers._plain_point, layers._plain_shape) share: the
general way's drawing of a feature, and the check that both drew it alike."""

from __future__ import annotations

from dataclasses import fields

from viewer.model.rules import Rules, ScenarioError, check_feature
from viewer.model.scenario import Feature
from viewer.render import layers


def general(f: Feature, quick_way: str) -> layers.DrawnFeature:
    """``f`` drawn with the quick way ``layers.<quick_way>`` turned off."""
    quick = getattr(layers, quick_way)
    setattr(layers, quick_way, lambda _f: None)
    try:
        return layers.draw_feature(f)
    finally:
        setattr(layers, quick_way, quick)


def checked(raw: dict) -> Feature | None:
    """The feature a file's ``raw`` feature is read as (None: refused)."""
    try:
        fid, kind, geometry, props = check_feature(Rules("t"), raw, "f", set())
    except ScenarioError:
        return None
    return Feature(fid, kind, geometry, props)


def drawn_alike(quick: layers.DrawnFeature, slow: layers.DrawnFeature, apart: tuple[str, ...]) -> None:
    """Every field the same (``apart``: those each way keeps its own way), the properties equal and
    the geometry the files get the same."""
    for name in (x.name for x in fields(layers.DrawnFeature) if x.name not in apart + ("properties",)):
        assert getattr(quick, name) == getattr(slow, name), name
    assert quick.properties == slow.properties
    assert quick.geometry == slow.geometry
