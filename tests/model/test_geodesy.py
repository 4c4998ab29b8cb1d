"""Tests for viewer.model.geodesy: geodesic range rings, sectors, paths and distances.

Every geometric claim is checked independently with geographiclib's Inverse
problem (shortest geodesic distance) and shapely on the exported GeoJSON.
"""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from viewer.model import geodesy as gd
from viewer.model.geodesic_solver import compiled
from viewer.model.geodesy import (
    DEFAULT_TOLERANCE,
    EARTH_ANTIPODAL_M,
    MERCATOR_MAX_LAT,
    annular_sector,
    destination,
    distance_bearing,
    format_distance,
    geodesic_path,
    range_ring,
)

GEOD = Geodesic.WGS84
A = EARTH_ANTIPODAL_M

CNS = (39.2002, 125.6733)  # launch point near Pyongyang
SEOUL = (37.5663, 126.9997)
BEIJING = (39.9289, 116.3883)
TOKYO = (35.6850, 139.7514)
SAN_FRANCISCO = (37.77, -122.42)
FIJI = (-17.7, 178.0)


# ---------------------------------------------------------------------------
# independent helpers
# ---------------------------------------------------------------------------
def dist(lat1, lon1, lat2, lon2) -> float:
    return GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


def merc_y(lat: float) -> float:
    lat = max(-89.999999999, min(89.999999999, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def merc_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def mercator_chord_points(p1, p2, ts=(0.25, 0.5, 0.75)):
    """Points of the straight Web Mercator segment p1-p2 (what Leaflet draws)."""
    y1, y2 = merc_y(p1[0]), merc_y(p2[0])
    return [(merc_lat(y1 + t * (y2 - y1)), p1[1] + t * (p2[1] - p1[1])) for t in ts]


def exempt(p1, p2) -> bool:
    """Segments entirely beyond the Web Mercator limit are not drawn."""
    return abs(p1[0]) > MERCATOR_MAX_LAT and abs(p2[0]) > MERCATOR_MAX_LAT


def max_drawn_lon_step(chain) -> float:
    return max((abs(b[1] - a[1]) for a, b in zip(chain, chain[1:]) if not exempt(a, b)), default=0.0)


def worst_vertex_error(ring) -> float:
    lat_c, lon_c = ring.centre
    worst = 0.0
    for radius, chain in ring.ring_arcs():
        for lat, lon in chain:
            worst = max(worst, abs(dist(lat_c, lon_c, lat, lon) - radius))
    return worst


def worst_density_ratio(ring, tolerance=DEFAULT_TOLERANCE) -> float:
    """Largest |distance(centre, chord point) - radius| / (tolerance * radius) over
    the 1/4, 1/2, 3/4 points of every drawn (non-exempt) circle segment."""
    lat_c, lon_c = ring.centre
    worst = 0.0
    for radius, chain in ring.ring_arcs():
        for p1, p2 in zip(chain, chain[1:]):
            if exempt(p1, p2):
                continue
            for q in mercator_chord_points(p1, p2):
                worst = max(worst, abs(dist(lat_c, lon_c, *q) - radius) / (tolerance * radius))
    return worst


def cross_track(line, q, s_guess: float) -> float:
    """Distance from q to the geodesic ``line`` (foot point found by Newton steps)."""
    s = s_guess
    for _ in range(6):
        p = line.Position(s, Geodesic.STANDARD)
        inv = GEOD.Inverse(p["lat2"], p["lon2"], q[0], q[1])
        along = inv["s12"] * math.cos(math.radians(inv["azi1"] - p["azi2"]))
        s += along
        if abs(along) < 1e-4:
            break
    p = line.Position(s, Geodesic.STANDARD)
    return dist(p["lat2"], p["lon2"], q[0], q[1])


def worst_path_ratio(path, tolerance_m=None) -> float:
    worst = 0.0
    pts = path.points
    for i, (a, b) in enumerate(zip(pts, pts[1:])):
        line = GEOD.InverseLine(a[0], a[1], b[0], b[1])
        tol = tolerance_m if tolerance_m is not None else max(1.0, 0.0005 * line.s13)
        seg = path.display[path.vertex_index[i]: path.vertex_index[i + 1] + 1]
        s_of = [dist(a[0], a[1], la, lo) for la, lo in seg]
        for k, (p1, p2) in enumerate(zip(seg, seg[1:])):
            if exempt(p1, p2):
                continue
            for t, q in zip((0.25, 0.5, 0.75), mercator_chord_points(p1, p2)):
                guess = s_of[k] + t * (s_of[k + 1] - s_of[k])
                worst = max(worst, cross_track(line, q, guess) / tol)
    return worst


def polygons_of(geojson):
    if geojson["type"] == "Polygon":
        return [geojson["coordinates"]]
    assert geojson["type"] == "MultiPolygon"
    return geojson["coordinates"]


def ring_is_ccw(coords) -> bool:
    x0, y0 = coords[0]
    area = 0.0
    for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
        area += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    return area > 0


def display_polygon(ring, index=0) -> Polygon:
    rings = [[(lon, lat) for lat, lon in r] for r in ring.display[index]]
    return Polygon(rings[0], rings[1:])


# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------
lats = st.one_of(
    st.floats(-90, 90),
    st.sampled_from([90.0, -90.0, 0.0, 89.9999, -89.9999, 85.0511, -85.0511, 45.0]),
    st.floats(85, 90),
    st.floats(-90, -85),
)
lons = st.one_of(
    st.floats(-180, 180),
    st.sampled_from([180.0, -180.0, 179.9999, -179.9999, 0.0]),
    st.floats(-720, 720),
)
# log-uniform radii from 1 m to the antipodal distance
radii = st.floats(0.0, 1.0).map(lambda u: min(A, math.exp(u * math.log(A))))

ring_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# constants and distances
# ---------------------------------------------------------------------------
def test_antipodal_distance_is_half_the_meridian_perimeter():
    assert EARTH_ANTIPODAL_M == pytest.approx(20_003_931.4586, abs=0.01)
    assert dist(10.0, 20.0, -10.0, -160.0) == pytest.approx(EARTH_ANTIPODAL_M, abs=1e-6)
    assert DEFAULT_TOLERANCE == 0.0005


@pytest.mark.parametrize(
    "a, b, km, tol_km",
    [
        (CNS, SEOUL, 215, 1),
        (CNS, BEIJING, 802, 1),
        (CNS, TOKYO, 1304, 1),
        ((40.1219, 124.3822), (40.1069, 124.4017), 2.3, 0.1),  # Dandong -> Sinuiju stations
    ],
)
def test_distance_matches_known_figures(a, b, km, tol_km):
    d, b1, b2 = distance_bearing(*a, *b)
    assert d / 1000 == pytest.approx(km, abs=tol_km)
    assert 0 <= b1 < 360 and 0 <= b2 < 360


def test_bearings_are_initial_and_final_and_in_0_360():
    d, initial, final = distance_bearing(*CNS, *SEOUL)
    assert 140 < initial < 155  # Seoul is south-south-east of Pyongyang
    _, initial_w, _ = distance_bearing(*CNS, *BEIJING)
    assert 270 < initial_w < 285  # Beijing is west
    inv = GEOD.Inverse(*TOKYO, *SAN_FRANCISCO)
    _, i2, f2 = distance_bearing(*TOKYO, *SAN_FRANCISCO)
    assert i2 == pytest.approx(inv["azi1"] % 360)
    assert f2 == pytest.approx(inv["azi2"] % 360)


def test_destination_round_trips_with_distance_bearing_and_normalises_longitude():
    lat, lon = destination(*FIJI, 90.0, 500_000)
    assert -180 <= lon <= 180
    assert lon < 0  # went across the antimeridian
    d, b, _ = distance_bearing(*FIJI, lat, lon)
    assert d == pytest.approx(500_000, abs=1e-6)
    assert b == pytest.approx(90.0, abs=1e-9)


def test_format_distance_gives_km_nautical_and_statute_miles():
    f = format_distance(1852.0)
    assert f["nmi"] == pytest.approx(1.0)
    assert f["km"] == pytest.approx(1.852)
    assert f["mi"] == pytest.approx(1852 / 1609.344)


# ---------------------------------------------------------------------------
# property tests over random rings
# ---------------------------------------------------------------------------
@ring_settings
@given(lat=lats, lon=lons, radius=radii)
def test_every_ring_vertex_lies_at_the_radius_within_1mm(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    assert ring.ring_vertices()
    assert worst_vertex_error(ring) <= 1e-3


@ring_settings
@given(lat=lats, lon=lons, radius=radii)
def test_mercator_segments_stay_within_tolerance_of_the_true_circle(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    assert worst_density_ratio(ring) <= 1.0


@ring_settings
@given(lat=lats, lon=lons, radius=radii)
def test_geojson_is_valid_ccw_closed_and_within_longitude_range(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    gj = ring.to_geojson()
    for poly in polygons_of(gj):
        for i, coords in enumerate(poly):
            assert coords[0] == coords[-1], "rings must be closed"
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords)
            assert ring_is_ccw(coords) == (i == 0), "exterior CCW, holes CW"
    shape = ring.to_shapely()
    assert shape.is_valid


@ring_settings
@given(lat=lats, lon=lons, radius=radii)
def test_geojson_covers_the_centre(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    lat_c, lon_c = ring.centre
    assert -180 <= lon_c <= 180
    # the centre may lie on a cut edge (lon +-180) or on the pole line: allow
    # 1e-9 degrees (0.1 mm) of floating-point slack
    assert ring.to_shapely().distance(Point(lon_c, lat_c)) <= 1e-9


@ring_settings
@given(lat=lats, lon=lons, radius=radii)
def test_poles_are_inside_exactly_when_closer_than_the_radius(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    shape = ring.to_shapely()
    for pole_lat, flag in ((90.0, ring.contains_north_pole), (-90.0, ring.contains_south_pole)):
        d = dist(lat, lon, pole_lat, 0.0)
        assert flag == (d < radius)
        if abs(d - radius) < 1.0:
            continue  # the circle passes (almost) through the pole
        assert shape.covers(Point(0.0, pole_lat)) == (d < radius)
        assert shape.covers(Point(137.0, pole_lat)) == (d < radius)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=lats, lon=lons, shortfall=st.floats(0.0, 40_000.0))
def test_near_antipodal_rings_keep_vertices_on_the_circle_beyond_the_cut_locus(lat, lon, shortfall):
    radius = A - shortfall
    ring = range_ring(lat, lon, radius)
    assert worst_vertex_error(ring) <= 1e-3
    assert worst_density_ratio(ring) <= 1.0
    shape = ring.to_shapely()
    assert shape.is_valid
    lat_c, lon_c = ring.centre
    assert shape.distance(Point(lon_c, lat_c)) <= 1e-9


@ring_settings
@given(lat=lats, lon=lons, radius=radii, bearing=st.floats(0, 360))
def test_label_point_is_on_the_ring_and_in_the_display_longitude_range(lat, lon, radius, bearing):
    ring = range_ring(lat, lon, radius)
    la, lo = ring.label_point(bearing)
    lat_c, lon_c = ring.centre
    assert abs(dist(lat_c, lon_c, la, lo) - radius) <= 1e-3
    assert lon_c - 180 - 1e-9 <= lo <= lon_c + 180 + 1e-9


# ---------------------------------------------------------------------------
# specific rings
# ---------------------------------------------------------------------------
def test_ring_across_antimeridian_is_continuous_on_screen_and_split_in_geojson():
    ring = range_ring(*FIJI, 2_000_000)
    assert len(ring.display) == 1 and len(ring.display[0]) == 1
    outer = ring.display[0][0]
    lons_ = [lon for _, lon in outer]
    assert max(lons_) > 180  # unwrapped past the antimeridian, not jumping to -180
    steps = [abs(b - a) for a, b in zip(lons_, lons_ + lons_[:1])]
    assert max(steps) < 180
    gj = ring.to_geojson()
    assert gj["type"] == "MultiPolygon" and len(gj["coordinates"]) == 2
    east, west = sorted(gj["coordinates"], key=lambda p: -p[0][0][0])
    assert max(x for x, _ in east[0]) == 180.0
    assert min(x for x, _ in west[0]) == -180.0
    shape = ring.to_shapely()
    assert shape.is_valid
    assert shape.contains(Point(FIJI[1], FIJI[0]))
    east_point = destination(*FIJI, 90.0, 1_500_000)
    assert shape.contains(Point(east_point[1], east_point[0]))
    assert worst_density_ratio(ring) <= 1.0


def test_ring_enclosing_north_pole_covers_the_top_of_the_map_and_the_pole():
    ring = range_ring(*CNS, 13_000_000)
    assert ring.contains_north_pole and not ring.contains_south_pole
    assert len(ring.display) == 1 and len(ring.display[0]) == 1
    lon_c = ring.centre[1]
    outer = ring.display[0][0]
    # closing edge along the top of the map from lon_c-180 to lon_c+180
    assert (MERCATOR_MAX_LAT, lon_c - 180) in outer and (MERCATOR_MAX_LAT, lon_c + 180) in outer
    screen = display_polygon(ring)
    assert screen.is_valid
    for lon in range(int(lon_c) - 179, int(lon_c) + 180, 3):
        assert screen.contains(Point(lon, 85.0)), lon
    shape = ring.to_shapely()
    assert shape.contains(Point(0, 89.9))
    assert shape.contains(Point(-150, 89.9))
    assert shape.covers(Point(0, 90))
    assert not shape.contains(Point(0, -89.9))
    assert shape.contains(Point(CNS[1], CNS[0]))
    assert worst_vertex_error(ring) <= 1e-3
    assert worst_density_ratio(ring) <= 1.0


def test_display_vertices_are_ring_vertices_or_cap_closure_vertices():
    ring = range_ring(*CNS, 13_000_000)
    on_ring = set(ring.ring_vertices())
    for ring_coords in ring.display[0]:
        for v in ring_coords:
            assert v in on_ring or abs(v[0]) == MERCATOR_MAX_LAT


def test_ring_enclosing_south_pole_closes_along_the_bottom():
    ring = range_ring(-60.0, -70.0, 4_000_000)
    assert ring.contains_south_pole and not ring.contains_north_pole
    screen = display_polygon(ring)
    for lon in range(-249, 110, 3):
        assert screen.contains(Point(lon, -85.0))
    shape = ring.to_shapely()
    assert shape.is_valid and shape.contains(Point(10, -89.9))
    assert not shape.covers(Point(0, 90))


def test_ring_beyond_both_poles_is_the_world_minus_a_hole_around_the_antipode():
    ring = range_ring(*CNS, 19_000_000)
    assert ring.contains_north_pole and ring.contains_south_pole
    lat_c, lon_c = ring.centre
    antipode = (-lat_c, lon_c + 180 - 360)  # normalised
    # display: world box (outer ring) and the hole, which straddles the box edge
    # at the antipode's meridian, as two half-holes closed along that edge
    box, *holes = ring.display[0]
    assert sorted(box) == sorted(
        [(MERCATOR_MAX_LAT, lon_c - 180), (MERCATOR_MAX_LAT, lon_c + 180),
         (-MERCATOR_MAX_LAT, lon_c + 180), (-MERCATOR_MAX_LAT, lon_c - 180)]
    )
    assert len(holes) == 2
    east_half = Polygon([(lo, la) for la, lo in holes[0]])
    west_half = Polygon([(lo, la) for la, lo in holes[1]])
    assert east_half.contains(Point(lon_c + 180 - 1, -lat_c))
    assert west_half.contains(Point(lon_c - 180 + 1, -lat_c))
    gj = ring.to_geojson()
    assert gj["type"] == "Polygon" and len(gj["coordinates"]) == 2  # world with a hole
    shape = ring.to_shapely()
    assert shape.is_valid
    assert not shape.covers(Point(antipode[1], antipode[0]))
    assert Polygon(gj["coordinates"][1]).contains(Point(antipode[1], antipode[0]))
    for p in [(0, 89.9), (0, -89.9), (CNS[1], CNS[0]), (-179.9, 0), (179.9, 0)]:
        assert shape.contains(Point(*p))
    assert worst_vertex_error(ring) <= 1e-3


def test_world_minus_hole_is_cut_at_the_antimeridian_when_the_hole_straddles_it():
    ring = range_ring(0.0, 0.0, 19_000_000)  # antipode at (0, 180)
    shape = ring.to_shapely()
    assert shape.is_valid
    assert not shape.covers(Point(180, 0)) and not shape.covers(Point(-180, 0))
    assert shape.contains(Point(0, 0)) and shape.contains(Point(170, 60))
    for poly in polygons_of(ring.to_geojson()):
        assert all(-180 <= x <= 180 for ring_ in poly for x, _ in ring_)


def test_ring_of_exactly_the_antipodal_distance_covers_the_whole_world():
    ring = range_ring(*CNS, A)
    assert ring.contains_north_pole and ring.contains_south_pole
    assert ring.to_shapely().area == pytest.approx(360 * 180)
    (vertex,) = ring.ring_vertices()
    assert dist(*CNS, *vertex) == pytest.approx(A, abs=1e-3)


@pytest.mark.parametrize("radius", [10.0, 1.0])
def test_tiny_rings_are_accurate_and_not_overdense(radius):
    ring = range_ring(*CNS, radius)
    vertices = ring.ring_vertices()
    assert 16 <= len(vertices) <= 200
    assert worst_vertex_error(ring) <= 1e-3
    assert worst_density_ratio(ring) <= 1.0
    shape = ring.to_shapely()
    assert shape.is_valid and shape.contains(Point(CNS[1], CNS[0]))


def test_ring_centred_on_north_pole_is_a_parallel_cap():
    ring = range_ring(90.0, 0.0, 1_000_000)
    assert ring.contains_north_pole and not ring.contains_south_pole
    vertices = ring.ring_vertices()
    lat0 = vertices[0][0]
    assert all(v[0] == pytest.approx(lat0, abs=1e-9) for v in vertices)
    assert worst_vertex_error(ring) <= 1e-3
    shape = ring.to_shapely()
    assert shape.is_valid
    assert shape.covers(Point(0, 90))
    for lon in (-179, -90, 0, 45, 179):
        assert shape.contains(Point(lon, lat0 + 0.1))
        assert not shape.contains(Point(lon, lat0 - 0.1))


def test_ring_centred_on_south_pole_is_a_parallel_cap():
    ring = range_ring(-90.0, 30.0, 5_000_000)
    assert ring.contains_south_pole and not ring.contains_north_pole
    shape = ring.to_shapely()
    lat0 = ring.ring_vertices()[0][0]
    assert shape.is_valid and shape.covers(Point(0, -90))
    assert shape.contains(Point(100, lat0 - 0.1)) and not shape.contains(Point(100, lat0 + 0.1))


def test_typical_ring_uses_about_a_hundred_vertices_not_a_huge_fixed_count():
    ring = range_ring(*CNS, 380_000)
    assert 80 <= len(ring.ring_vertices()) <= 200
    assert worst_density_ratio(ring) <= 1.0
    coarser = range_ring(*CNS, 380_000, tolerance=0.005)
    assert len(coarser.ring_vertices()) < len(ring.ring_vertices()) / 2
    assert worst_density_ratio(coarser, 0.005) <= 1.0


def test_ring_geojson_uses_lon_lat_order():
    ring = range_ring(*CNS, 380_000)
    coords = ring.to_geojson()["coordinates"][0]
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    assert min(xs) < CNS[1] < max(xs) and min(ys) < CNS[0] < max(ys)
    assert max(ys) < 45  # latitudes stay near 39 N


@pytest.mark.parametrize(
    "args, message",
    [
        ((91.0, 0.0, 1000.0), "lat"),
        ((-90.5, 0.0, 1000.0), "lat"),
        ((float("nan"), 0.0, 1000.0), "lat"),
        ((0.0, float("inf"), 1000.0), "lon"),
        ((0.0, 0.0, 0.0), "radius"),
        ((0.0, 0.0, -5.0), "radius"),
        ((0.0, 0.0, float("nan")), "radius"),
        ((0.0, 0.0, A + 1.0), "antipodal"),
    ],
)
def test_range_ring_rejects_invalid_input_with_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        range_ring(*args)


def test_range_ring_rejects_invalid_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        range_ring(0.0, 0.0, 1000.0, tolerance=0.0)


# ---------------------------------------------------------------------------
# annular sector
# ---------------------------------------------------------------------------
def test_impact_sector_lies_between_its_radii_and_bearings():
    sector = annular_sector(*CNS, 370_000, 390_000, 55, 70)
    assert sector.radius_m == 390_000 and sector.inner_radius_m == 370_000
    for lat, lon in sector.display[0][0]:
        d, b, _ = distance_bearing(*CNS, lat, lon)
        assert 370_000 - 1e-3 <= d <= 390_000 + 1e-3
        assert 55 - 1e-7 <= b <= 70 + 1e-7
    assert worst_vertex_error(sector) <= 1e-3
    assert worst_density_ratio(sector) <= 1.0
    shape = sector.to_shapely()
    assert shape.is_valid
    inside = destination(*CNS, 62.5, 380_000)
    outside = [destination(*CNS, 50, 380_000), destination(*CNS, 62.5, 360_000), destination(*CNS, 62.5, 400_000)]
    assert shape.contains(Point(inside[1], inside[0]))
    for p in outside:
        assert not shape.contains(Point(p[1], p[0]))
    la, lo = sector.label_point(62.5)
    assert dist(*CNS, la, lo) == pytest.approx(390_000, abs=1e-3)


def test_sector_sweeps_clockwise_across_north():
    sector = annular_sector(*CNS, 100_000, 300_000, 350, 10)
    shape = sector.to_shapely()
    north = destination(*CNS, 0, 200_000)
    south = destination(*CNS, 180, 200_000)
    assert shape.contains(Point(north[1], north[0]))
    assert not shape.contains(Point(south[1], south[0]))


def test_pie_sector_starts_at_the_centre():
    sector = annular_sector(*CNS, 0, 390_000, 55, 70)
    assert sector.inner_radius_m == 0
    assert sector.to_shapely().covers(Point(CNS[1], CNS[0]))


def test_sector_over_the_pole_contains_it_and_exports_validly():
    sector = annular_sector(*CNS, 1_000_000, 13_000_000, 300, 60)
    assert sector.contains_north_pole
    shape = sector.to_shapely()
    assert shape.is_valid and shape.contains(Point(0, 89.9))
    assert worst_vertex_error(sector) <= 1e-3
    assert worst_density_ratio(sector) <= 1.0


def test_sector_across_antimeridian_is_split_in_geojson_only():
    sector = annular_sector(*FIJI, 100_000, 2_000_000, 30, 150)
    assert len(sector.display) == 1
    lons_ = [lon for _, lon in sector.display[0][0]]
    assert max(lons_) > 180
    gj = sector.to_geojson()
    assert gj["type"] == "MultiPolygon" and len(gj["coordinates"]) == 2
    assert sector.to_shapely().is_valid


def test_sector_rejects_bad_radii_and_equal_bearings():
    with pytest.raises(ValueError, match="smaller"):
        annular_sector(*CNS, 400_000, 390_000, 55, 70)
    with pytest.raises(ValueError, match="differ"):
        annular_sector(*CNS, 370_000, 390_000, 55, 55)


def test_sector_reaching_beyond_the_cut_locus_is_rejected_clearly():
    # 10 km short of antipodal, due east of an equatorial centre the geodesic
    # has already crossed the cut locus: that part of the circle does not exist
    with pytest.raises(ValueError, match="cut locus"):
        annular_sector(0.0, 0.0, 0.0, A - 10_000, 80, 100)
    ok = annular_sector(0.0, 0.0, 0.0, A - 10_000, 350, 10)  # over the pole: fine
    assert worst_vertex_error(ok) <= 1e-3


sector_radii = st.floats(0.0, 1.0).map(lambda u: math.exp(u * math.log(A - 50_000)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=lats, lon=lons, r1=sector_radii, r2=sector_radii, b1=st.floats(0, 360), sweep=st.floats(1, 359))
def test_random_sectors_export_valid_geometry_containing_their_middle(lat, lon, r1, r2, b1, sweep):
    r_in, r_out = sorted((r1, r2))
    assume(r_out - r_in > 1.0)
    sector = annular_sector(lat, lon, r_in, r_out, b1, b1 + sweep)
    assert worst_vertex_error(sector) <= 1e-3
    assert worst_density_ratio(sector) <= 1.0
    shape = sector.to_shapely()
    assert shape.is_valid
    la, lo = destination(lat, lon, b1 + sweep / 2, 0.5 * (r_in + r_out))
    assert shape.distance(Point(lo, la)) <= 1e-9


# ---------------------------------------------------------------------------
# paths
# ---------------------------------------------------------------------------
@pytest.fixture(params=["python", "c"])
def path_solver(request):
    """Every path test runs with GeographicLib in Python and in C (a large map's drawing)."""
    with compiled(request.param == "c"):
        yield request.param


def test_path_across_the_pacific_is_split_at_the_antimeridian(path_solver):
    path = geodesic_path([TOKYO, SAN_FRANCISCO])
    lons_ = [lon for _, lon in path.display]
    assert max(abs(b - a) for a, b in zip(lons_, lons_[1:])) < 180
    assert lons_[-1] == pytest.approx(SAN_FRANCISCO[1] + 360)
    assert path.length_m == pytest.approx(dist(*TOKYO, *SAN_FRANCISCO), abs=1e-6)
    gj = path.to_geojson()
    assert gj["type"] == "MultiLineString" and len(gj["coordinates"]) == 2
    first, second = gj["coordinates"]
    assert first[-1][0] == 180.0 and second[0][0] == -180.0
    assert first[-1][1] == second[0][1]
    assert all(-180 <= x <= 180 for part in gj["coordinates"] for x, _ in part)
    assert path.to_shapely().is_valid
    assert worst_path_ratio(path) <= 1.0
    # the great-circle route bulges far north of both ends
    assert max(lat for lat, _ in path.display) > 47


def test_path_display_vertices_lie_on_the_geodesic(path_solver):
    path = geodesic_path([TOKYO, SAN_FRANCISCO])
    line = GEOD.InverseLine(*TOKYO, *SAN_FRANCISCO)
    for lat, lon in path.display:
        s = dist(*TOKYO, lat, lon)
        assert cross_track(line, (lat, lon), s) < 1e-3


def test_path_through_several_points_keeps_input_vertices_and_length(path_solver):
    pts = [CNS, SEOUL, TOKYO]
    path = geodesic_path(pts)
    assert path.points == tuple(pts)
    for i, idx in enumerate(path.vertex_index):
        lat, lon = path.display[idx]
        assert lat == pts[i][0] and (lon - pts[i][1]) % 360 == pytest.approx(0, abs=1e-9)
    expected = dist(*CNS, *SEOUL) + dist(*SEOUL, *TOKYO)
    assert path.length_m == pytest.approx(expected, abs=1e-6)
    assert path.to_geojson()["type"] == "LineString"
    assert worst_path_ratio(path) <= 1.0


def test_path_with_explicit_tolerance_is_denser(path_solver):
    default = geodesic_path([TOKYO, SAN_FRANCISCO])
    fine = geodesic_path([TOKYO, SAN_FRANCISCO], tolerance_m=100.0)
    assert len(fine.display) > len(default.display)
    assert worst_path_ratio(fine, 100.0) <= 1.0


def test_path_rejects_bad_input(path_solver):
    with pytest.raises(ValueError):
        geodesic_path([CNS])
    with pytest.raises(ValueError, match="lat"):
        geodesic_path([CNS, (95.0, 0.0)])
    with pytest.raises(ValueError, match="tolerance"):
        geodesic_path([CNS, SEOUL], tolerance_m=0)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(a=st.tuples(st.floats(-89, 89), lons), b=st.tuples(st.floats(-89, 89), lons))
def test_random_paths_follow_the_geodesic_within_tolerance_and_export_in_range(path_solver, a, b):
    assume(dist(*a, *b) > 1.0)
    path = geodesic_path([a, b])
    assert max_drawn_lon_step(path.display) < 180
    assert worst_path_ratio(path) <= 1.0
    gj = path.to_geojson()
    parts = [gj["coordinates"]] if gj["type"] == "LineString" else gj["coordinates"]
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for part in parts for x, y in part)
    assert path.to_shapely().is_valid


def test_module_imports_neither_qt_nor_folium():
    import subprocess
    import sys

    code = (
        "import sys, viewer.model.geodesy as g; "
        "g.range_ring(0, 0, 1000).to_geojson(); g.geodesic_path([(0, 0), (1, 1)]).to_geojson(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'folium')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = str(__import__("pathlib").Path(gd.__file__).resolve().parents[2])
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("a, b", [
    ((60.0, 0.0), (60.0, 140.0)),     # high over the pole's side, points from the edge's own solution
    ((80.0, 0.0), (80.0, 170.0)),     # nearly over the pole: the geodesic line unrolls longitudes
    ((0.0, 0.0), (0.5, 179.5)),       # nearly antipodal
    ((-0.0, 0.0), (1.0, -180.0)),     # nearly antipodal, ends 180 degrees of longitude apart
    ((-89.0, 10.0), (89.0, -170.0)),  # pole to pole
    ((90.0, 0.0), (10.0, 30.0)),      # from the pole itself
    ((10.0, 170.0), (-10.0, -100.0)), # across the antimeridian
])
def test_paths_near_poles_and_antipodes_follow_the_geodesic(path_solver, a, b):
    path = geodesic_path([a, b])
    assert max_drawn_lon_step(path.display) < 180
    assert worst_path_ratio(path) <= 1.0
    assert path.length_m == pytest.approx(dist(*a, *b), abs=1e-6)
    end_lat, end_lon = path.display[-1]
    assert end_lat == b[0] and (end_lon - b[1]) % 360 == pytest.approx(0, abs=1e-9)


def test_a_bearing_shows_from_0_up_to_below_360():
    # (before: 359.77 degrees showed as "360", and two places at one spot were "bearing 180")
    from viewer.model.geodesy import bearing_text

    assert bearing_text(359.77) == "0" and bearing_text(359.4) == "359" and bearing_text(-0.2) == "0"
    assert bearing_text(359.96, 1, 5) == "000.0" and bearing_text(7.25, 1, 5) == "007.2"
    assert bearing_text(-5.0) == "355" and bearing_text(365.0) == "5"


def test_a_distance_fact_between_two_places_at_one_spot_says_so():
    from viewer.model.scenario import derive_value, parse_scenario

    pt = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [125.0, 39.0]},
          "properties": {"kind": "place", "name": "a", "status": "reported", "source": "t"}}
    s = parse_scenario({"type": "FeatureCollection", "features": [dict(pt, id="a"), dict(pt, id="b")]}, "t")
    assert derive_value(s, {"op": "distance", "from": "a", "to": "b"}) == "0.00 km (the same place)"
    north = dict(pt, id="c", geometry={"type": "Point", "coordinates": [124.999, 39.5]})  # (bearing 359.9)
    s = parse_scenario({"type": "FeatureCollection", "features": [dict(pt, id="a"), north]}, "t")
    assert derive_value(s, {"op": "distance", "from": "a", "to": "c"}).endswith("bearing 0\u00b0")


@pytest.mark.parametrize("lat, lon, km", [(0.0, 179.5, 500), (-17.7, 179.5, 300), (60.0, 170.0, 2000),
                                          (39.0, 125.0, 12000), (0.0, -179.9, 50)])
def test_a_rings_cuts_at_the_antimeridian_are_on_the_ring(lat, lon, km):
    # (before: a straight line in longitude and latitude between two of its vertices: a 500 km
    # ring's cut points were 66 m inside it, a 12,000 km ring's 300 m)
    from geographiclib.geodesic import Geodesic

    from viewer.model.geodesy import range_ring

    geo = range_ring(lat, lon, km * 1000.0).to_geojson()
    polys = geo["coordinates"] if geo["type"] == "MultiPolygon" else [geo["coordinates"]]
    cuts = [(y, x) for p in polys for r in p for x, y in r if abs(abs(x) - 180.0) < 1e-9 and abs(y) < 89.999]
    assert cuts
    for y, x in cuts:
        assert abs(Geodesic.WGS84.Inverse(lat, lon, y, x)["s12"] - km * 1000.0) < 0.01, (y, x)


def test_a_path_and_an_area_are_cut_at_the_antimeridian_on_their_geodesics():
    from geographiclib.geodesic import Geodesic

    from viewer.model.scenario import parse_scenario
    from viewer.render import layers

    g = Geodesic.WGS84
    s = parse_scenario({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "l", "geometry": {"type": "LineString", "coordinates": [[170.0, 10.0], [-170.0, 40.0]]},
         "properties": {"kind": "path", "name": "l", "status": "estimated", "source": "t"}},
        {"type": "Feature", "id": "a", "geometry": {"type": "Polygon", "coordinates": [
            [[175.0, -20.0], [-175.0, -20.0], [-175.0, 20.0], [175.0, 20.0], [175.0, -20.0]]]},
         "properties": {"kind": "area", "name": "a", "status": "estimated", "source": "t"}}]}, "t")
    line, area = (d.geometry for d in layers.draw_scenario(s))
    cut = [(y, x) for part in line["coordinates"] for x, y in part if abs(x) == 180.0]
    assert len(cut) == 2 and cut[0][0] == cut[1][0]
    y = cut[0][0]
    off = g.Inverse(10, 170, y, 180)["s12"] + g.Inverse(y, 180, 40, -170)["s12"] - g.Inverse(10, 170, 40, -170)["s12"]
    assert abs(off) < 0.01
    # the area's top and bottom edges are cut: each cut on the geodesic between their corners
    edges = [((-20.0, 175.0), (-20.0, -175.0)), ((20.0, -175.0), (20.0, 175.0))]
    cuts = [(y, x) for poly in area["coordinates"] for x, y in poly[0] if abs(x) == 180.0]
    assert len(cuts) == 4
    for y, x in cuts:
        (a, b) = min(edges, key=lambda e: abs(e[0][0] - y))
        off = g.Inverse(*a, y, x)["s12"] + g.Inverse(y, x, *b)["s12"] - g.Inverse(*a, *b)["s12"]
        assert abs(off) < 0.01, (y, x)
