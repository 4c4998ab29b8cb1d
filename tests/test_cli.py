"""The command line, run as a user would run it: a separate process, no display."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.model import geodesy

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=180):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_a_csv_export_says_what_a_csv_of_points_leaves_out(tmp_path):
    """As the window's export says it: the built-in map's lines, areas and facts are not in a CSV."""
    out = tmp_path / "b.csv"
    r = run("--export", str(out))
    assert r.returncode == 0, r.stderr
    assert out.is_file() and "a CSV holds points only" in r.stderr and "fact(s)" in r.stderr, r.stderr
    r = run("--help")
    assert ".gpkg" in r.stdout


def test_geojson_export_carries_the_drawn_geometry(tmp_path):
    out = tmp_path / "out.geojson"
    r = run("--export", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    feats = {f["id"]: f for f in doc["features"]}
    ring = feats["ring-380km"]
    assert ring["geometry"]["type"] == "Polygon"
    assert ring["properties"]["radius_m"] == 380_000 and ring["properties"]["kind"] == "range_ring"
    coords = ring["geometry"]["coordinates"][0]
    assert len(coords) > 60
    for lon, lat in coords:
        d, _, _ = geodesy.distance_bearing(39.2002, 125.6733, lat, lon)
        assert abs(d - 380_000) < 0.001
    assert feats["flight-path"]["geometry"]["type"] == "LineString"
    assert len(feats["flight-path"]["geometry"]["coordinates"]) >= 2
    assert feats["launch-point.uncertainty"]["geometry"]["type"] == "Polygon"
    assert feats["impact-area"]["properties"]["status"] == "estimated"
    lines = out.read_text(encoding="utf-8").splitlines()  # a feature a line, as a saved map
    assert [json.loads(x.rstrip(","))["id"] for x in lines if x.startswith('  {"type":"Feature"')] == list(feats)


def test_png_export_writes_an_image_of_the_requested_size(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "map.png"
    r = run("--export", str(out), "--size", "800x600")
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (800, 600)
    colours = {img.pixel(x, y) for x in range(0, 800, 13) for y in range(0, 600, 13)}
    assert len(colours) > 20, "the export looks blank"


def test_png_export_of_100000_points_is_drawn_and_written(tmp_path):
    """A briefing holds its features inside its page: 100,000 points as the page's batch, drawn
    with one redraw (they were written whole and added one by one: not ready within 60 s)."""
    from PySide6.QtGui import QImage

    from tools.big_projects import write_project

    src = write_project(tmp_path / "p100k.geojson", 100_000, "points")
    out = tmp_path / "p100k.png"
    r = run(str(src), "--export", str(out), "--size", "1200x800", timeout=120)
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1200, 800)
    # the points' region (33.2-43.3 N, 116-140.5 E) is covered with their circles: unstyled, in
    # the colour a point no file styles is drawn in, outlined in a darker shade of it
    from viewer.model.style import UNSTYLED_COLOUR

    want = tuple(int(UNSTYLED_COLOUR[i:i + 2], 16) for i in (1, 3, 5))

    def point_ink(c: int) -> bool:
        rgb = ((c >> 16) & 255, (c >> 8) & 255, c & 255)
        return max(rgb) < 90 or all(abs(a - b) <= 40 for a, b in zip(rgb, want))

    inked = sum(1 for x in range(300, 900, 10) for y in range(300, 500, 10) if point_ink(img.pixel(x, y)))
    assert inked > 0.5 * 60 * 20, f"{inked} samples of the points' colours: the points were not drawn"
    # not a black mass: near-black rings round each of them covered a quarter of the region
    black = sum(1 for x in range(300, 900, 10) for y in range(300, 500, 10)
                if max((img.pixel(x, y) >> s) & 255 for s in (16, 8, 0)) < 45)
    assert black < 0.05 * 60 * 20, f"{black} of {60 * 20} samples near-black"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs prctl and waitpid's adoption of orphans")
def test_an_image_export_ends_as_soon_as_it_is_written_and_leaves_no_engine_process(tmp_path):
    """The export runs under a watcher that adopts every process it leaves behind (a child subreaper)."""
    out = tmp_path / "map.png"
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    watch = subprocess.run([sys.executable, str(ROOT / "tests" / "orphan_watch.py"), "10", "--", sys.executable,
                            str(ROOT / "main.py"), "--export", str(out), "--size", "640x480"],
                           cwd=ROOT, capture_output=True, text=True, timeout=180, env=env)
    assert watch.returncode == 0, watch.stderr
    report = json.loads(watch.stdout.strip().splitlines()[-1])
    if not report["probe"]:
        pytest.skip("this machine does not let a process adopt its orphaned descendants")
    assert report["returncode"] == 0, report["stderr"]
    assert out.stat().st_size > 10_000 and "[4/4]" in report["stderr"]
    assert report["left"] == 0  # the web engine's processes went with it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs prctl and waitpid's adoption of orphans")
def test_the_watcher_counts_a_process_left_behind():
    watch = subprocess.run([sys.executable, str(ROOT / "tests" / "orphan_watch.py"), "1", "--",
                            "sh", "-c", "sleep 30 >/dev/null 2>&1 & exit 0"], capture_output=True, text=True, timeout=60)
    report = json.loads(watch.stdout.strip().splitlines()[-1])
    if not report["probe"]:
        pytest.skip("this machine does not let a process adopt its orphaned descendants")
    assert report["returncode"] == 0 and report["left"] == 1


def test_a_bad_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "x", '
                   '"geometry": {"type": "Point", "coordinates": [10, 91]}}]}', encoding="utf-8")
    r = run(str(bad), "--export", str(tmp_path / "o.png"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.geojson" in lines[0] and "latitude 91" in lines[0]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize("args, words", [
    (["--export", "x.png", "--size", "huge"], "--size"),
    (["--export", "x.txt"], "cannot export"),
    (["missing.geojson", "--export", "x.geojson"], "file not found"),
    (["--export", "x.png", "--size", "-5x5"], "-5x5': expected WIDTHxHEIGHT"),
    (["--export", "x.png", "--paper", "a4", "--dpi", "-300"], "--dpi: invalid choice"),
    # (each of these was taken without a word: the default size, no size, no date)
    (["--export", "x.png", "--size", ""], "--size '': expected WIDTHxHEIGHT"),
    (["--export", "x.geojson", "--size", "800x600"], "size a picture (.png, .pdf, .html), not a .geojson"),
    (["--export", "x.kml", "--paper", "a4"], "size a picture"),
    (["--export", "x.geojson", "--date", "2022-01-17"], "--date goes with --draft"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, args, words):
    args = [str(tmp_path / a) if a.startswith(("x.", "missing")) else a for a in args]
    r = run(*args)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and words in r.stderr


@pytest.mark.parametrize("where, words", [
    ("folder", "is a folder, not a file"),
    ("under a file", "is a file, not a folder"),
    ("proc", "cannot write in folder /proc"),
])
def test_an_export_that_could_not_be_written_is_refused_before_the_map_is_drawn(tmp_path, where, words):
    if where == "proc" and not Path("/proc/self").is_dir():
        pytest.skip("a folder no file can be made in: Linux's /proc")
    target = {"folder": tmp_path / "out.png", "under a file": tmp_path / "f.txt" / "out.png",
              "proc": Path("/proc/sitmap-export-test.png")}[where]
    if where == "folder":
        target.mkdir()
    elif where == "under a file":
        target.parent.write_text("a file", encoding="utf-8")
    r = run("--export", str(target), "--size", "400x300")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], r.stderr  # (no "[1/4] composing ..." before it)
    assert "Traceback" not in r.stderr


def test_geojson_export_lists_the_places_inside_each_ring(tmp_path):
    out = tmp_path / "out.geojson"
    assert run("--export", str(out)).returncode == 0
    ring = next(f for f in json.loads(out.read_text(encoding="utf-8"))["features"] if f["id"] == "ring-380km")
    places = {p["name"]: p for p in ring["properties"]["in_range"]}
    assert places["Seoul"]["distance_m"] == pytest.approx(215_000, abs=3_000)
    assert "Tokyo" not in places
    assert ring["properties"]["in_range_total"] >= len(places) > 10
    assert "GeoNames" in ring["properties"]["in_range_source"]


def test_kml_export_headless_has_one_placemark_per_feature_and_the_uncertainty_circle(tmp_path):
    out = tmp_path / "out.kml"
    r = run("--export", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    from viewer import resources
    from viewer.model.scenario import load_scenario

    features = load_scenario(resources.default_scenario()).features
    circles = sum(1 for f in features if f.properties.get("uncertainty_m"))
    assert circles == 1
    assert text.count("<Placemark") == len(features) + circles


@pytest.mark.parametrize("text", ["1x1", "0x0", "10x10", "20000x1080"])
def test_a_size_out_of_range_is_told_the_range(text):
    # (before: "1x1" and "0x0" were told the form, not the range)
    from viewer.app import UsageError, parse_size

    with pytest.raises(UsageError, match="between 16 and 10000 pixels"):
        parse_size(text)
    assert parse_size("16x16") == (16, 16) and parse_size(" 1920 x 1080 ") == (1920, 1080)


def test_a_shapefile_exports_as_geojson_in_longitude_latitude(tmp_path):
    shp = ROOT / "tests" / "data" / "realworld" / "mapshaper" / "e_merc.shp"
    out = tmp_path / "staten.geojson"
    r = run(str(shp), "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert "Coordinates converted from WGS_84_World_Mercator (EPSG:3395)" in r.stderr
    (f,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert f["properties"]["name"] == "Staten Island"
    lon, lat = f["geometry"]["coordinates"][0][0]
    assert -74.3 < lon < -73.9 and 40.4 < lat < 40.9


def test_geopackage_export_from_the_command_line(tmp_path):
    import sqlite3

    out = tmp_path / "map.gpkg"
    r = run("--export", str(out))
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(out)
    tables = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    assert tables == {"points": "features", "lines": "features", "areas": "features", "facts": "attributes",
                      "sitmap_map": "attributes"}
    assert db.execute("SELECT count(*) FROM areas WHERE id = 'ring-380km'").fetchone()[0] == 1
    db.close()


def test_a_writer_s_own_failure_is_one_line_and_exit_status_1(tmp_path, monkeypatch, capsys):
    from viewer import app
    from viewer.export import geopackage

    def broken(_scenario):
        raise ZeroDivisionError("division by zero")  # (not an error a writer says: a fault in one)

    monkeypatch.setattr(geopackage, "export_geopackage", broken)
    out = tmp_path / "map.gpkg"
    # (run_export, as main runs it: main itself ends the process at once after an export that ran
    # the web engine, which in this test process runs for other tests)
    args = app.build_parser().parse_args(["--export", str(out)])
    from viewer import resources

    assert app.run_export(resources.default_scenario(), out, args) == app.EXIT_FAILED
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"sitmap: error: {out}: the export failed (ZeroDivisionError: division by zero)"]
    assert not out.exists()


def test_a_map_whose_text_holds_the_exports_own_placeholders_exports_as_any_other(tmp_path):
    # (a title of the briefing's tile token stopped the PNG; notes holding the HTML export's asset
    # prefix stopped the HTML file)
    doc = json.loads(Path(ROOT / "resources" / "scenarios" / "2022-01-17-dprk-launch.geojson").read_text())
    doc["sitmap"]["title"] = "__sitmap_frame_tiles__"
    doc["features"][0]["properties"]["notes"] = "see sitmap-inline-asset:/notes"
    src = tmp_path / "odd.sitmap.geojson"
    src.write_text(json.dumps(doc))
    png, page = tmp_path / "odd.png", tmp_path / "odd.html"
    r = run(str(src), "--export", str(png), "--size", "800x600")
    assert r.returncode == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = run(str(src), "--export", str(page))
    assert r.returncode == 0, r.stderr
    assert "see sitmap-inline-asset:/notes" in page.read_text(encoding="utf-8")


def _bare_env() -> dict:
    """A terminal with no desktop session: no display, and nothing set for Qt or its engine."""
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QTWEBENGINE_CHROMIUM_FLAGS"):
        env.pop(name, None)
    return env


def test_an_image_export_says_its_steps_and_nothing_of_the_engine_s_own(tmp_path):
    out = tmp_path / "o.png"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--export", str(out), "--size", "400x300"], cwd=ROOT,
                       capture_output=True, text=True, timeout=180, env=_bare_env())
    assert r.returncode == 0, r.stderr
    assert out.is_file()
    lines = r.stderr.strip().splitlines()
    assert lines and all(line.startswith("sitmap: ") for line in lines), r.stderr  # (no "QRhiGles2: ...", no bus)


def test_qt_s_other_messages_still_reach_stderr_in_a_headless_run():
    code = ("from viewer.ui.qt_app import prepare_qt_environment, make_application\n"
            "import viewer.ui.qt_app as q\n"
            "q.quiet_headless_noise()\n"
            "prepare_qt_environment(headless=True)\n"
            "app = make_application(['sitmap'])\n"
            "from PySide6.QtCore import qWarning\n"
            "qWarning('QRhiGles2: Failed to create context')\n"
            "qWarning('a message of its own')\n"
            "import os, sys\n"
            "sys.stderr.flush()\n"
            "os._exit(0)\n")  # (as an export ends)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env=_bare_env())
    assert "a message of its own" in r.stderr
    assert "QRhiGles2" not in r.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a session without a display: Linux's")
def test_the_window_without_a_display_says_so_in_one_line_and_points_to_export(tmp_path):
    env = _bare_env()
    env["HOME"] = str(tmp_path)
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--new-instance"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 2, r.stderr  # (not Qt ending the process: 134)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "--export" in lines[0], r.stderr


def test_an_export_takes_the_maps_own_banner_unless_given_another_or_none(tmp_path):
    from viewer import api

    m = api.new_map("Banner")
    m.add_place(39.0, 127.0, "X", source="A", status="reported")
    m.set_properties(banner="SECRET//NOFORN")
    src = m.save(tmp_path / "b.sitmap.geojson")
    for args, shown in (((), "SECRET//NOFORN"), (("--banner", ""), None), (("--banner", "UNCLASSIFIED"), "UNCLASSIFIED")):
        out = tmp_path / f"out{len(args)}{shown or ''}.html".replace("/", "-")
        r = run(str(src), "--export", str(out), *args)
        assert r.returncode == 0, r.stderr
        page = out.read_text(encoding="utf-8")
        assert ("SECRET//NOFORN" in page) == (shown == "SECRET//NOFORN") and (shown is None or shown in page)


@pytest.mark.parametrize("suffix", [".png", ".csv", ".geojson"])
def test_an_export_whose_messages_cannot_be_written_is_still_written(tmp_path, suffix):
    # (sitmap --export OUT 2>&1 | head -1, or 2>/dev/full: the first progress line that could not
    # be printed failed the export, exit 1 and no file)
    out = tmp_path / f"b{suffix}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--export", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=full, timeout=180, env=env)
    assert r.returncode == 0 and out.is_file() and out.stat().st_size > 100


def test_an_article_with_nothing_to_map_is_refused_rather_than_exported_blank(tmp_path):
    # (before: exit 0, and a blank world titled "Draft map from an article")
    article = tmp_path / "weather.txt"
    article.write_text("The weather was fine on Tuesday.\n", encoding="utf-8")
    out = tmp_path / "d.png"
    r = run("--draft", str(article), "--export", str(out))
    assert r.returncode == 2 and not out.exists()
    assert r.stderr.strip().splitlines()[-1] == ("sitmap: error: weather.txt: nothing drafted to put on a map "
                                                "(no place, range or launch found)")



def test_an_empty_draft_is_written_as_json_too_and_refuses_a_size(tmp_path):
    article = tmp_path / "empty.txt"
    article.write_text("", encoding="utf-8")
    for name in ("o.json", "o.geojson"):
        r = run("--draft", str(article), "--export", str(tmp_path / name))
        assert r.returncode == 0 and (tmp_path / name).is_file(), r.stderr
    r = run("--draft", str(article), "--export", str(tmp_path / "s.geojson"), "--size", "800x600")
    assert r.returncode == 2 and "size a picture" in r.stderr and not (tmp_path / "s.geojson").exists()
