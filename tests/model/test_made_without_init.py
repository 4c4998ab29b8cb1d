"""The records a large map makes by the hundred thousand without their dataclass's ``__init__``
(viewer.model.geodesic_path.made_path, viewer.model.geometry._shape) are the records ``__init__``
makes: every field set, equal, and as frozen."""

from __future__ import annotations

import dataclasses
from functools import partial

import pytest

from viewer.model.geodesic_path import PathGeometry, made_path
from viewer.model.geometry import Shape, _shape, split_polygon


def test_a_path_made_without_init_is_the_one_init_makes():
    args = (((1.0, 2.0), (3.0, 4.0)), [(1.0, 2.0), (3.0, 4.0)], 250.5, (0, 1), (None, 3))
    fast, slow = made_path(*args), PathGeometry(*args)
    assert set(vars(fast)) == {f.name for f in dataclasses.fields(PathGeometry)}
    assert fast == slow and vars(fast) == vars(slow)
    assert fast.to_geojson() == slow.to_geojson()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.length_m = 1.0


def test_a_shape_made_without_init_is_the_one_init_makes():
    display = [[(1.0, 2.0), (1.0, 3.0), (2.0, 3.0)]]
    make = partial(split_polygon, display)
    fast = _shape([display], make, "polygon", None, display[0], [None])
    slow = Shape([display], make, "polygon", label_ring=display[0], rows_at=[None])
    assert set(vars(fast)) == {f.name for f in dataclasses.fields(Shape)}
    assert fast == slow and vars(fast) == vars(slow)
    assert fast.geojson == slow.geojson and fast.label_point == slow.label_point
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.kind = "line"
