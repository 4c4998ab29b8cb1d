"""The generated launch history checked against its source (tools/build_history.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from viewer import resources

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path("/work/shared/data/dprk-launches")


def _tool():
    spec = importlib.util.spec_from_file_location("build_history", ROOT / "tools" / "build_history.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _shipped() -> dict:
    return json.loads(resources.read_text("history", "dprk-launches.json"))


def _rows() -> list[dict]:
    d = _shipped()
    return [dict(zip(d["columns"], r)) for r in d["launches"]]


def test_339_launches_with_unique_ids():
    rows = _rows()
    assert len(rows) == 339
    assert len({r["id"] for r in rows}) == 339


def test_the_17_january_2022_pair_at_pyongyang_international_airport():
    d = _shipped()
    pair = [r for r in _rows() if r["date"] == "2022-01-16"]  # 17 January in Korea (UTC+9)
    assert [r["time_utc"] for r in pair] == ["23:50", "23:54"]
    for r in pair:
        assert d["sites"][r["site"]]["name"] == "Pyongyang International Airport"
        assert d["systems"][r["system"]]["name"] == "Hwasong-11B (KN-24)"
        assert d["systems"][r["system"]]["class"] == "SRBM"
        assert (r["apogee_km"], r["distance_km"], r["bearing_deg"], r["outcome"]) == (42, 380, 62, "success")


def test_landing_estimate_of_the_pair_is_380_km_from_the_site():
    d = _shipped()
    r = next(r for r in _rows() if r["id"] == "dprk-20220116-1")
    site = d["sites"][r["site"]]
    g = Geodesic.WGS84
    end = g.Direct(site["lat"], site["lon"], r["bearing_deg"], r["distance_km"] * 1000)
    back = g.Inverse(site["lat"], site["lon"], end["lat2"], end["lon2"])
    assert back["s12"] == pytest.approx(380_000, abs=1)
    assert back["azi1"] == pytest.approx(62, abs=1e-6)


def test_dirty_values_are_normalised():
    for r in _rows():
        for key in ("apogee_km", "distance_km", "bearing_deg"):
            assert r[key] is None or (isinstance(r[key], (int, float)) and r[key] >= 0)
        assert r["outcome"] in ("success", "failure", "unknown")
        assert r["time_utc"] is None or len(r["time_utc"]) == 5
    d = _shipped()
    assert d["sites"]["unknown"]["precision"] == "placeholder"
    assert d["sites"]["pyongyang"]["precision"] == "site"
    assert {s["class"] for s in d["systems"].values()} <= set(d["classes"])


def test_no_prose_from_the_source_is_shipped():
    text = resources.read_text("history", "dprk-launches.json")
    assert "description" not in text
    assert "First known test by North Korea" not in text
    assert "A. Kusanagi" in _shipped()["credit"]
    assert "Apache License" in resources.read_text("history", "LICENSE")


def test_number_reader_takes_numeric_strings_and_unknown():
    tool = _tool()
    assert tool.number("140", "x") == 140
    assert tool.number("1,380", "x") == 1380
    assert tool.number("unknown", "x") is None
    assert tool.number("na", "x") is None
    assert tool.number(2111.5, "x") == 2111.5
    with pytest.raises(tool.BuildError):
        tool.number("far", "x")
    assert tool.time_utc("23:50 (UTC)", "x") == "23:50"
    assert tool.time_utc("unknown", "x") is None
    with pytest.raises(tool.BuildError):
        tool.time_utc("25:00 (UTC)", "x")


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the source data is not on this machine")
def test_shipped_file_is_what_the_tool_builds_from_the_source(tmp_path):
    tool = _tool()
    assert tool.main([str(SOURCE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "dprk-launches.json").read_bytes() == resources.path("history", "dprk-launches.json").read_bytes()
