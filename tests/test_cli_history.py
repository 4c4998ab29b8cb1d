"""sitmap --history on the command line, run as a separate process like a user would."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.test_cli import run

KML = "{http://www.opengis.net/kml/2.2}"


def test_history_kml_with_years_and_system(tmp_path):
    out = tmp_path / "kn24.kml"
    r = run("--history", "--years", "2019-2022", "--system", "KN-24", "--export", str(out))
    assert r.returncode == 0, r.stderr
    root = ET.parse(out).getroot()
    marks = [p for p in root.iter(f"{KML}Placemark") if not p.get("id").endswith(".track")]
    assert len(marks) == 8
    whens = sorted(p.find(f"{KML}TimeStamp/{KML}when").text for p in marks)
    assert whens[0].startswith("2019-") and whens[-1] == "2022-01-16T23:54:00Z"


def test_history_geojson_with_site_and_time_window(tmp_path):
    out = tmp_path / "uiju.geojson"
    r = run("--history", "--site", "Uiju", "--time-window", "2022-01-01/2022-01-31", "--export", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    launches = [f for f in doc["features"] if f["properties"]["kind"] == "launch"]
    assert [f["id"] for f in launches] == ["dprk-20220114-1", "dprk-20220114-2"]
    assert "window 2022-01-01 to 2022-01-31 UTC" in doc["shown"]


def test_history_html_briefing_states_the_window_and_draws_the_layer(tmp_path):
    out = tmp_path / "b.html"
    r = run("--history", "--years", "2019-2022", "--system", "KN-24", "--export", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text()
    assert "Launch history shown: 2019\\u20132022; KN-24 (8 launches)" in html  # JSON-escaped in the page
    assert "A. Kusanagi" in html
    assert re.search(r'"history":\s*\{"data"', html)
    assert "SitMap.history" in html  # the layer's script is inlined


@pytest.mark.parametrize("args, message", [
    (["--years", "2019"], "go with --history"),
    (["--history", "--system", "XYZ"], "no such system"),
    (["--history", "--site", "Atlantis"], "no such launch site"),
    (["--history", "--years", "last year"], "use YEAR or FIRST-LAST"),
    (["--history", "--time-window", "2022-02-01/2022-01-01"], "not after the start"),
])
def test_bad_history_arguments_are_one_line_errors(tmp_path, args, message):
    out = tmp_path / "x.kml"
    r = run(*args, "--export", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert not out.exists()


def test_history_png_briefing(tmp_path):
    out = tmp_path / "b.png"
    r = run("--history", "--time-window", "2022-01", "--size", "800x500", "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_several_systems_comma_separated_or_repeated(tmp_path):
    from viewer.model import history as h

    want = sorted(x.id for x in h.load_default().launches if x.system.short in ("KN-23", "KN-24"))
    assert len(want) == 30
    for args in (["--system", "KN-23,KN-24"], ["--system", "KN-23", "--system", "KN-24"]):
        out = tmp_path / "two.geojson"
        r = run("--history", *args, "--export", str(out))
        assert r.returncode == 0, r.stderr
        doc = json.loads(out.read_text())
        got = sorted(f["id"] for f in doc["features"] if f["properties"]["kind"] == "launch")
        assert got == want
        assert doc["shown"] == "KN-23, KN-24"


def test_several_classes_and_outcomes_and_sites(tmp_path):
    from viewer.model import history as h

    out = tmp_path / "mix.kml"
    r = run("--history", "--class", "IRBM,ICBM", "--outcome", "failure", "--outcome", "unknown",
            "--site", "Wonsan,Panghyon", "--site", "Sinpo", "--export", str(out))
    assert r.returncode == 0, r.stderr
    hist = h.load_default()
    sites = {s.key for t in ("Wonsan", "Panghyon", "Sinpo") for s in hist.find_sites(t)}
    want = {x.id for x in hist.launches if x.system.cls in ("IRBM", "ICBM") and x.outcome in ("failure", "unknown")
            and x.site.key in sites}
    root = ET.parse(out).getroot()
    got = {p.get("id") for p in root.iter(f"{KML}Placemark") if not p.get("id").endswith(".track")}
    assert got == want and want


@pytest.mark.parametrize("args, message", [
    (["--history", "--system", "KN-24,XYZ"], "'XYZ': no such system"),
    (["--history", "--class", "SRBM,MIRV"], "--class 'MIRV'"),
    (["--history", "--outcome", "partial"], "--outcome 'partial'"),
    (["--class", "SRBM"], "go with --history"),
])
def test_bad_multi_choice_arguments_are_one_line_errors(tmp_path, args, message):
    out = tmp_path / "x.geojson"
    r = run(*args, "--export", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert not out.exists()
