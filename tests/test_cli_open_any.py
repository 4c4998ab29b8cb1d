"""``sitmap FILE --export OUT`` with a file from another tool: what was left out goes to stderr,
the exit status stays 0, and the export holds everything that could be shown."""

import json

from tests.conftest import DATA
from tests.test_cli import run

OWN = DATA / "realworld" / "sitmap-made"


def test_a_kml_with_a_model_exports_the_rest_and_says_what_was_left_out(tmp_path):
    out = tmp_path / "out.geojson"
    r = run(str(OWN / "my-maps-export.kml"), "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert "my-maps-export.kml: opened 4 feature(s); left out 2:" in r.stderr
    assert "1 \u00d7 3D models: Placemark 6 (name 'Tower model')" in r.stderr
    assert "Placemark 3 (name 'Not placed yet')" in r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in doc["features"]]
    assert names == ["Pyongyang (Ryongsong)", "Sohae", "Eastward track", "Estimated impact area"]
    assert doc["name"] == "Launch areas (My Maps style)"


def test_a_file_with_nothing_usable_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "empty.kml"
    bad.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</name></Placemark>'
                   "</Document></kml>", encoding="utf-8")
    r = run(str(bad), "--export", str(tmp_path / "out.geojson"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing SitMap can show" in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "out.geojson").exists()


def test_a_device_or_a_pipe_is_refused_in_one_line_not_read_for_ever(tmp_path):
    # (found in review: /dev/zero was read until the out-of-memory killer ended SitMap)
    import os

    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    for named in ("/dev/zero", str(fifo)):
        for args in ([named, "--export", str(tmp_path / "out.geojson")],
                     ["--draft", named, "--export", str(tmp_path / "out.geojson")]):
            r = run(*args)
            assert r.returncode == 2, r.stderr
            assert "a device, a pipe or a socket" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.geojson").exists()
