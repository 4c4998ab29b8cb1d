"""GeographicLib in C (pyproj's Geod) answers as GeographicLib in Python does, and a map is
drawn with it only when it has many lines and areas."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from viewer.model import geodesic_solver as gs
from viewer.model.scenario import parse_scenario
from viewer.render import layers

ROOT = Path(__file__).resolve().parents[2]


def _angle_gap(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def _pairs():
    rng = random.Random(7)
    for _ in range(3000):
        yield rng.uniform(-90, 90), rng.uniform(-540, 540), rng.uniform(-90, 90), rng.uniform(-540, 540)
    for _ in range(500):  # nearly antipodal
        la, lo = rng.uniform(-90, 90), rng.uniform(-180, 180)
        yield la, lo, -la + rng.uniform(-1e-3, 1e-3), lo + 180 + rng.uniform(-1e-3, 1e-3)
    for _ in range(500):  # a few metres apart
        la, lo = rng.uniform(-89, 89), rng.uniform(-180, 180)
        yield la, lo, la + rng.uniform(-1e-4, 1e-4), lo + rng.uniform(-1e-4, 1e-4)
    for la in (90.0, -90.0, 0.0):
        for lo in (0.0, 180.0, -180.0, 90.0):
            yield la, lo, 0.0, 10.0
            yield 10.0, 0.0, la, lo


def test_the_c_inverse_agrees_with_python_to_nanometres():
    c = gs.c_solver().inverse
    py = gs.PYTHON.inverse
    for la1, lo1, la2, lo2 in _pairs():
        s_py, a1_py, a2_py = py(la1, lo1, la2, lo2)
        s_c, a1_c, a2_c = c(la1, lo1, la2, lo2)
        assert abs(s_c - s_py) < 1e-7, (la1, lo1, la2, lo2)
        assert _angle_gap(a1_c, a1_py) < 1e-6 and _angle_gap(a2_c, a2_py) < 1e-6, (la1, lo1, la2, lo2)


def test_the_c_direct_lands_where_the_python_geodesic_line_does():
    from geographiclib.geodesic import Geodesic

    direct = gs.c_solver().direct
    rng = random.Random(11)
    for _ in range(2000):
        la, lo, azi, s = rng.uniform(-89, 89), rng.uniform(-180, 180), rng.uniform(-180, 180), rng.uniform(0, 2e7)
        want = Geodesic.WGS84.Direct(la, lo, azi, s)
        lat, lon, azi2 = direct(la, lo, azi, s)
        assert abs(lat - want["lat2"]) < 1e-9 and _angle_gap(lon, want["lon2"]) < 1e-9
        assert _angle_gap(azi2, want["azi2"]) < 1e-7
        assert -180.0 <= lon <= 180.0


def test_compiled_applies_to_its_block_and_thread_only():
    assert gs.solver() is gs.PYTHON
    seen = []
    with gs.compiled():
        assert gs.solver() is gs.c_solver()
        t = threading.Thread(target=lambda: seen.append(gs.solver()))
        t.start()
        t.join()
        with gs.compiled(False):
            assert gs.solver() is gs.c_solver()  # not wanted: the block changes nothing
    assert seen == [gs.PYTHON]
    assert gs.solver() is gs.PYTHON
    with pytest.raises(RuntimeError):
        with gs.compiled():
            raise RuntimeError("boom")
    assert gs.solver() is gs.PYTHON


def _map_of_paths(n: int) -> dict:
    feats = [{"type": "Feature", "id": f"l{i}",
              "geometry": {"type": "LineString", "coordinates": [[120 + i * 0.001, 35.0], [121 + i * 0.001, 36.0]]},
              "properties": {"kind": "path", "name": f"L{i}", "status": "estimated", "source": "Analyst"}}
             for i in range(n)]
    return {"type": "FeatureCollection", "features": feats}


@pytest.mark.parametrize("n, want_c", [(gs.BULK_SHAPES - 1, False), (gs.BULK_SHAPES, True)])
def test_a_map_is_drawn_with_the_c_solver_from_bulk_shapes_lines_and_areas(monkeypatch, n, want_c):
    calls = {"c": 0}
    real = gs.c_solver()

    def counted(*a):
        calls["c"] += 1
        return real.inverse(*a)

    monkeypatch.setattr(gs, "_c_solver", gs.Solver(counted, real.direct))
    arrays = gs.c_arrays

    def counted_arrays(lat1, *rest):
        calls["c"] += len(lat1)
        return arrays(lat1, *rest)

    monkeypatch.setattr(gs, "c_arrays", counted_arrays)
    drawn = layers.draw_scenario(parse_scenario(_map_of_paths(n)))
    assert len(drawn) == n
    assert (calls["c"] == n) is want_c and (calls["c"] == 0) is (not want_c)
    # either way the same geometry, to far below a millimetre
    with gs.compiled(not want_c):
        other = [layers.draw_feature(f) for f in parse_scenario(_map_of_paths(n)).features]
    for d, o in zip(drawn[:50], other[:50]):
        assert len(d.latlngs) == len(o.latlngs)
        assert max(abs(a - b) for p, q in zip(d.latlngs, o.latlngs) for a, b in zip(p, q)) < 1e-11


def test_the_built_in_map_is_drawn_without_loading_pyproj():
    code = ("import sys; from viewer import resources; from viewer.model.scenario import load_scenario; "
            "from viewer.render import layers; layers.draw_scenario(load_scenario(resources.default_scenario())); "
            "sys.exit(1 if 'pyproj' in sys.modules else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_without_pyproj_a_large_map_is_drawn_with_the_python_package(monkeypatch, capsys):
    monkeypatch.setattr(gs, "_c_solver", None)
    monkeypatch.setattr(gs, "_unavailable", None)
    monkeypatch.setitem(sys.modules, "pyproj", None)  # import pyproj: ImportError
    with gs.compiled():
        assert gs.solver() is gs.PYTHON
    with gs.compiled():
        assert gs.solver() is gs.PYTHON
    err = capsys.readouterr().err
    assert err.count("geodesics in Python, pyproj could not be loaded") == 1  # said once
    drawn = layers.draw_scenario(parse_scenario(_map_of_paths(gs.BULK_SHAPES)))
    assert len(drawn) == gs.BULK_SHAPES and all(len(d.latlngs) >= 2 for d in drawn)


def _random_paths(n: int, seed: int):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = rng.randint(2, 6)
        kind = i % 4
        if kind == 0:  # short edges over the scenario's region (a large map's usual line)
            lat, lon = rng.uniform(33, 43), rng.uniform(116, 140)
            out.append([(lat + rng.uniform(-0.3, 0.3), lon + 0.1 * j) for j in range(k)])
        elif kind == 1:  # edges of tens to hundreds of kilometres, some needing points between
            lat, lon = rng.uniform(-70, 70), rng.uniform(-180, 180)
            out.append([(max(-89.0, min(89.0, lat + rng.uniform(-3, 3))), lon + rng.uniform(-4, 4)) for _ in range(k)])
        elif kind == 2:  # anywhere: long edges, the antimeridian, near the poles
            out.append([(rng.uniform(-89.9, 89.9), rng.uniform(-540, 540)) for _ in range(k)])
        else:  # a closed ring, as an area's
            lat, lon = rng.uniform(-80, 80), rng.uniform(-179, 179)
            d = rng.choice((0.01, 0.25, 0.5, 5.0))
            out.append([(lat, lon), (lat, lon + d), (min(89.0, lat + d), lon + d), (min(89.0, lat + d), lon), (lat, lon)])
    out.append([(10.0, 20.0), (10.0, 20.0), (10.5, 20.5)])  # a repeated point: an edge of length 0
    return out


def test_many_paths_at_once_are_exactly_what_each_gives_alone(monkeypatch):
    from viewer.model import geodesic_bulk as gb
    from viewer.model.geodesic_bulk import geodesic_paths
    from viewer.model.geodesic_path import geodesic_path

    paths = _random_paths(2000, 5)
    one_by_one = []
    assemble = gb._assemble
    monkeypatch.setattr(gb, "_assemble", lambda pts, *a: one_by_one.append(pts) or assemble(pts, *a))
    with gs.compiled():
        together = geodesic_paths(paths)
        floats = geodesic_paths(paths, of_floats=True)  # (checked at once: lists of float pairs)
        alone = [geodesic_path(p) for p in paths]
    assert [(g.display, g.length_m, g.vertex_index, g.points) for g in floats] == \
        [(g.display, g.length_m, g.vertex_index, g.points) for g in alone]
    # most put together at once; the others (across 180 degrees, with edges that need points
    # between their ends) one by one
    assert 400 < len(one_by_one) < 2 * len(paths) - 1000
    assert [(g.display, g.length_m, g.vertex_index, g.points) for g in together] == \
        [(g.display, g.length_m, g.vertex_index, g.points) for g in alone]
    assert sum(len(g.display) - len(g.points) for g in alone) > 100  # edges with points between their ends
    # outside compiled(): one after another, as geodesic_path gives each
    assert [g.display for g in geodesic_paths(paths[:50])] == [geodesic_path(p).display for p in paths[:50]]


@pytest.mark.parametrize("at_once", [8, 2])
def test_paths_of_many_edges_put_together_at_once_have_each_one_s_length_to_the_last_bit(monkeypatch, at_once):
    """Lengths summed edge by edge for all the paths at once (the first SUMMED_AT_ONCE edges), the
    rest of a longer path's one edge after another: the sums geodesic_path makes alone."""
    from viewer.model import geodesic_bulk as gb
    from viewer.model.geodesic_path import geodesic_path

    monkeypatch.setattr(gb, "SUMMED_AT_ONCE", at_once)
    rng = random.Random(11)
    paths = _random_paths(300, 7)
    for _ in range(200):  # lines of short edges (put together at once), of 2 to 40 points
        lat, lon = rng.uniform(33, 43), rng.uniform(116, 130)
        paths.append([(lat + rng.uniform(-0.3, 0.3), lon + 0.1 * j) for j in range(rng.randint(2, 40))])
    summed = []
    real = gb._lengths_summed
    monkeypatch.setattr(gb, "_lengths_summed", lambda np, lengths, first, n: summed.append(int(n.max())) or
                        real(np, lengths, first, n))
    with gs.compiled():
        together = gb.geodesic_paths(paths, of_floats=True)
        alone = [geodesic_path(p) for p in paths]
    assert summed and max(summed) > at_once  # (some put together at once had more edges than that)
    assert [g.length_m for g in together] == [g.length_m for g in alone]
    assert [g.display for g in together] == [g.display for g in alone]


def _outcome(work):
    """The error ``work()`` raises (its type and words), or None."""
    try:
        work()
    except Exception as e:  # noqa: BLE001 (compared, not handled)
        return type(e), str(e)
    return None


def test_geojson_positions_turned_all_at_once_give_what_each_path_turned_alone_gives(monkeypatch):
    """A large map's lines and rings as its features hold them ([lon, lat], integers among the
    floats, a third number now and then): the same paths as each turned by to_latlon; turned at once
    where all are pairs, else path by path; a wrong one refused as before."""
    from viewer.model import geodesic_bulk as gb
    from viewer.model.coords import to_latlon

    def positions(paths):
        out = []
        for k, p in enumerate(paths):
            out.append([[int(lon) if k % 7 == 0 and lon == int(lon) else lon, lat] for lat, lon in p])
        return out

    paths = _random_paths(600, 9) + [[(10.0, 20.0), (11.0, 21.0)]]
    given = positions(paths)
    given[-1] = [[20, 10], [21, 11]]  # (whole numbers)
    at_once = []
    real = gb._pairs_at_once
    monkeypatch.setattr(gb, "_pairs_at_once", lambda pos: at_once.append(1) or real(pos))
    with gs.compiled():
        want = gb.geodesic_paths([to_latlon(p) for p in given], of_floats=True)
        got = gb.geodesic_paths_of_positions(given)
        assert real(given) is not None
        with_height = [list(p) for p in given]
        with_height[-1] = [[20, 10, 5.0], [21, 11, 5.0]]  # (a height: path by path, as to_latlon drops it)
        assert real(with_height) is None
        got_h = gb.geodesic_paths_of_positions(with_height)
        for wrong in ([[1.0, 95.0], [2.0, 0.0]], [[1.0, float("nan")], [2.0, 0.0]], [[1.0, 2.0]],
                      [[1.0, None], [2.0, 3.0]]):
            assert real(given[:5] + [wrong]) is None
            before = _outcome(lambda: gb.geodesic_paths([to_latlon(p) for p in given[:5] + [wrong]], of_floats=True))
            assert before is not None  # (refused, as it was)
            assert _outcome(lambda: gb.geodesic_paths_of_positions(given[:5] + [wrong])) == before
    assert at_once
    key = [(g.display, g.length_m, g.vertex_index, g.points) for g in want]
    assert [(g.display, g.length_m, g.vertex_index, g.points) for g in got] == key
    assert [(g.display, g.length_m, g.vertex_index, g.points) for g in got_h] == key


def test_a_wrong_point_among_many_paths_is_named_as_for_one_path():
    import pytest

    from viewer.model.geodesic_bulk import geodesic_paths
    from viewer.model.geodesic_path import geodesic_path

    paths = _random_paths(300, 7)
    for bad in ([(10.0, 20.0), (91.0, 20.5)], [(10.0, 20.0), (10.5, float("nan"))], [(10.0, 20.0)]):
        with pytest.raises(ValueError) as alone:
            geodesic_path(bad)
        for of_floats in (False, True):
            with gs.compiled(), pytest.raises(ValueError) as together:
                geodesic_paths(paths + [bad], of_floats=of_floats)
            assert str(together.value) == str(alone.value)


def test_the_screen_passes_most_short_edges_and_never_one_that_needs_points():
    import numpy as np

    from viewer.model.geodesic_bulk import _straight_enough
    from viewer.model.geodesic_path import geodesic_path

    paths = _random_paths(2000, 9)
    with gs.compiled():
        inv = gs.c_solver().inverse
        rows = []
        for p in paths:
            for (a, b), (c, d) in zip(p, p[1:]):
                s, z1, z2 = inv(a, b, c, d)
                alone = geodesic_path([(a, b), (c, d)])
                rows.append((a, b, z1, c, alone.display[-1][1], z2, s, len(alone.display) == 2))
    arr = np.array(rows, dtype=float)
    fine = _straight_enough(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], arr[:, 4], arr[:, 5], arr[:, 6])
    straight = arr[:, 7] == 1.0
    assert not (fine & ~straight).any()  # never an edge that needs points between its ends
    short = straight & (arr[:, 6] < 20_000)
    assert fine[short].mean() > 0.9  # and most short edges pass


def test_a_large_map_drawn_in_bulk_is_drawn_as_feature_by_feature(tmp_path):
    from tools.big_projects import write_project

    from viewer.model.scenario import load_scenario

    path = write_project(tmp_path / "m.geojson", 2 * gs.BULK_SHAPES, "mixed", seed=3)
    bulk = layers.draw_scenario(load_scenario(path))
    with gs.compiled():
        one_by_one = [layers.draw_feature(f) for f in load_scenario(path).features]
    assert [(d.id, d.latlngs, d.geometry) for d in bulk] == [(d.id, d.latlngs, d.geometry) for d in one_by_one]


def test_the_edges_given_one_point_at_once_are_many_of_those_needing_points():
    """The exactness test above covers the edges worked out together with one point between
    their ends (areas' sides of tens of kilometres): there are hundreds of them in it."""
    import numpy as np

    from viewer.model import geodesic_bulk as gb
    from viewer.model import geodesic_path as gp

    paths = _random_paths(2000, 5)
    with gs.compiled():
        edges = np.array([e for p in paths for e in gp._edges(gp._checked_points(p))])
        s13, azi1, azi2 = gs.c_arrays(edges[:, 0], edges[:, 1], edges[:, 2], edges[:, 3])
        fine = gb._straight_enough(edges[:, 0], edges[:, 1], azi1, edges[:, 2], edges[:, 4], azi2, s13)
        one, _lat, _lam = gb._one_point_between(edges, s13, azi1, azi2, fine)
    assert len(one) > 300 and not fine[one].any()


def test_a_large_map_s_files_carry_the_shapes_its_screen_draws_without_drawing_it_first(tmp_path):
    """``sitmap BIG --export out.kml`` (and a save) without a window: the lines and areas are
    worked out together as the screen draws them, so the files carry the screen's geometry (one by
    one in Python they differed in the last digits, and 100,000 took 40 s)."""
    from tools.big_projects import write_project

    from viewer.model.io.kml_write import export_kml
    from viewer.model.scenario import load_scenario, scenario_to_geojson

    path = write_project(tmp_path / "m.geojson", 2 * gs.BULK_SHAPES, "mixed", seed=5)
    drawn_first = load_scenario(path)
    layers.draw_scenario(drawn_first)  # (as the window has it: each shape kept once drawn)
    assert export_kml(load_scenario(path)) == export_kml(drawn_first)
    assert scenario_to_geojson(load_scenario(path)) == scenario_to_geojson(drawn_first)


def test_a_long_gps_track_is_drawn_in_bulk_and_its_file_carries_the_screen_s_shape(monkeypatch):
    """One line of many vertices (a day of GPS logging): worked out in bulk like many lines, by
    the check of an opened file, the screen and a writer alike (one edge at a time in Python, a
    track of 100,000 points took 5 s to open)."""
    import random

    from viewer.model import geodesy
    from viewer.model.io.kml_write import export_kml
    from viewer.model.io.open_any import open_map_bytes
    from viewer.model.scenario import Scenario

    rnd = random.Random(11)
    lat, lon, pts = 39.0, 125.0, []
    for _ in range(gs.BULK_VERTICES):
        lat, lon = lat + rnd.uniform(-0.005, 0.006), lon + rnd.uniform(-0.005, 0.007)
        pts.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"></trkpt>')
    raw = ('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           f'<trk><name>Track</name><trkseg>{"".join(pts)}</trkseg></trk></gpx>').encode()
    one_by_one = []
    real = geodesy.geodesic_path
    monkeypatch.setattr(geodesy, "geodesic_path", lambda *a, **k: one_by_one.append(1) or real(*a, **k))
    scenario, _report = open_map_bytes(raw, "track.gpx")
    (track,) = scenario.features
    assert track.kind == "path" and not one_by_one
    from viewer.model.geometry import _kept

    def fresh():
        return Scenario(title="t", features=[type(track)(track.id, track.kind, track.geometry, track.properties)],
                        facts=[])

    written, shown = fresh(), fresh()
    export_kml(written)  # (not drawn first)
    drawn = layers.draw_scenario(shown)
    assert not one_by_one
    assert _kept(written.features[0]).display == _kept(shown.features[0]).display == drawn[0].latlngs
