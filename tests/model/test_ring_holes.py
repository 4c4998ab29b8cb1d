"""A ring's GeoJSON (RFC 7946) near the antipodal distance: its one real hole, round the antipode,
and no hole of no area (one has no orientation to give, clockwise or not)."""

import pytest
from shapely.geometry import Polygon

from viewer import api
from viewer.model.geometry import shape_of


def _signed_area(ring) -> float:
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


@pytest.mark.parametrize("lat, lon, radius_m", [(10, 179, 20_000_000), (17.4, -179.9999999, 19_973_931.4586)])
def test_a_ring_near_the_antipodal_distance_has_one_hole_clockwise_and_none_of_no_area(lat, lon, radius_m):
    m = api.new_map("Near antipodal")
    fid = m.add_ring(lat, lon, radius_m, "Near antipodal")
    gj = shape_of(m.feature(fid)).geojson
    polys = gj["coordinates"] if gj["type"] == "MultiPolygon" else [gj["coordinates"]]
    holes = [h for p in polys for h in p[1:]]
    assert len(holes) == 1 and _signed_area(holes[0]) < 0  # (clockwise, as RFC 7946 has holes)
    assert all(_signed_area(p[0]) > 0 and Polygon(p[0], p[1:]).is_valid for p in polys)
