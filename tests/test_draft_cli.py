"""`sitmap --draft ARTICLE [--date D] [--export OUT]`, run as a user would: a separate process."""

import json
import os
import subprocess
import sys
from pathlib import Path


from viewer.model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
_ROOT = ROOT
# shared/ lies beside the checkout (CI) or beside the folder of work trees
SEED = next((base / "shared" / "seed" / "000_773b1baaebd46618.txt" for base in (_ROOT.parent, _ROOT.parent.parent)
             if (base / "shared" / "seed").is_dir()), _ROOT.parent / "shared" / "seed" / "000_773b1baaebd46618.txt")
ARTICLES = ROOT / "tests" / "data" / "articles"


def run(*args, timeout=180):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_draft_to_geojson_is_a_sitmap_file_with_evidence(tmp_path):
    out = tmp_path / "draft.geojson"
    r = run("--draft", str(SEED), "--date", "2022-01-18", "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert "drafted" in r.stderr
    sc = load_scenario(out)
    assert sc.feature("ring-380km").properties["radius_m"] == 380_000
    doc = json.loads(out.read_text(encoding="utf-8"))
    text = doc["sitmap_draft"]["article_text"]
    a, b = doc["sitmap_evidence"]["facts"]["apogee"][0]
    assert text[a:b] == "42 km"
    assert doc["sitmap_draft"]["article_date"] == "2022-01-18"


def test_draft_of_a_saved_page_to_png(tmp_path):
    out = tmp_path / "draft.png"
    r = run("--draft", str(ARTICLES / "2023-07-12-hwasong18-wire.html"), "--export", str(out), "--size", "800x450")
    assert r.returncode == 0, r.stderr
    import struct

    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (800, 450)  # width, height from the IHDR chunk


def test_bad_inputs_get_one_line_and_status_2(tmp_path):
    binary = tmp_path / "a.txt"
    binary.write_bytes(bytes(range(256)) * 100)
    cases = [
        (("--draft", str(binary), "--export", str(tmp_path / "o.geojson")), "binary"),
        (("--draft", str(tmp_path / "missing.txt"), "--export", str(tmp_path / "o.geojson")), "missing.txt"),
        (("--draft", str(SEED), "--date", "2022-02-30", "--export", str(tmp_path / "o.geojson")), "--date"),
        (("--draft", str(SEED), "--date", "10000-01-01", "--export", str(tmp_path / "o.geojson")), "--date"),
        (("--draft", str(SEED), "--export", str(tmp_path / "no" / "o.geojson")), "does not exist"),
    ]
    for args, words in cases:
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        errors = [line for line in r.stderr.splitlines() if line.startswith("sitmap: error")]
        assert len(errors) == 1 and words in errors[0], r.stderr
    assert not (tmp_path / "o.geojson").exists()


def test_an_empty_article_gives_an_empty_map(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "o.geojson"
    r = run("--draft", str(empty), "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert load_scenario(out).features == []


def test_draft_takes_the_other_export_options_as_any_export_does(tmp_path):
    # (found in review: --basemap was not looked at, and with a .geojson OUT --history and its
    # filters were dropped without a word)
    missing = tmp_path / "missing.mbtiles"
    r = run("--draft", str(SEED), "--basemap", str(missing), "--export", str(tmp_path / "d.png"), "--size", "640x480")
    assert r.returncode == 2 and "missing.mbtiles" in r.stderr and not (tmp_path / "d.png").exists()
    r = run("--draft", str(SEED), "--years", "2022", "--export", str(tmp_path / "y.geojson"))
    assert r.returncode == 2 and "go with --history" in r.stderr and not (tmp_path / "y.geojson").exists()
    out = tmp_path / "h.geojson"
    r = run("--draft", str(SEED), "--history", "--years", "2022", "--export", str(out))
    assert r.returncode == 0, r.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) > 30 and all(str(f["properties"].get("time_utc", "")).startswith("2022") for f in features
                                      if f["properties"].get("time_utc"))
