"""A path's written geometry (viewer.model.geodesic_path._split_polyline): a path within -180..180
is written as it is (its points as [lon, lat], a repeated point once) exactly as the general cut at
the antimeridian writes it; one beyond is cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from viewer.model import geodesic_path
from viewer.model.geodesy_sampling import _deep_copy

LON = st.one_of(st.floats(-180, 180, allow_nan=False), st.sampled_from([-180.0, 180.0, 0.0, -0.0, 179.999999]))
LAT = st.floats(-89, 89, allow_nan=False)
POINT = st.tuples(LAT, LON)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(POINT, st.just((10.0, 20.0))), min_size=1, max_size=12))
def test_a_path_in_range_is_written_as_the_general_cut_writes_it(pts):
    quick = geodesic_path._split_polyline(pts)
    general = geodesic_path._split_across(pts)
    assert quick == general
    assert [[str(x) for x in p] for part in quick for p in part] == \
        [[str(x) for x in p] for part in general for p in part]  # (-0.0 kept as the general cut keeps it)


def test_a_path_beyond_the_range_is_cut_at_the_antimeridian():
    parts = geodesic_path._split_polyline([(10.0, 170.0), (10.0, 190.0)])
    # cut where the geodesic between the two crosses 180 (it bends towards the pole: 10.152 N)
    from geographiclib.geodesic import Geodesic

    g = Geodesic.WGS84
    line = g.InverseLine(10.0, 170.0, 10.0, -170.0)
    mid = line.Position(line.s13 / 2)  # (halfway, by symmetry at 180)
    assert abs(mid["lon2"]) == pytest.approx(180.0)
    assert parts == [[[170.0, 10.0], [180.0, pytest.approx(mid["lat2"], abs=1e-9)]],
                     [[-180.0, pytest.approx(mid["lat2"], abs=1e-9)], [-170.0, 10.0]]]


def test_coordinates_are_copied_to_the_last_list():
    for c in ([1.5, 2.5], [[1.5, 2.5], [3.5, 4.5]], [[[1.5, 2.5], [3.5, 4.5]]], [[[[1.5, 2.5]]], [[[3.5, 4.5]]]], []):
        copy = _deep_copy(c)
        assert copy == c

        def lists(x):
            return [x] + [y for item in x if isinstance(item, list) for y in lists(item)] if isinstance(x, list) else []
        assert not {id(x) for x in lists(copy)} & {id(x) for x in lists(c)}
