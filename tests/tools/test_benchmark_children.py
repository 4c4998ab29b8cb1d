"""The benchmarks' child processes still run against the current window (a change to how the window
is built once made the large-map benchmark's built-in baseline fail with "no READY", unnoticed).
No timings are checked here: only that each child reports what its benchmark prints."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import annotations as annotations_bench  # noqa: E402


def test_large_map_benchmark_child_reports_the_built_in_scenario(tmp_path):
    for _ in ("cold", "warm"):  # (the benchmark's first run fills the page cache its built-in case starts from)
        result = annotations_bench.run_child(None, 120, tmp_path)
        assert "failed" not in result, result
        assert result["features"] == result["drawn"] > 0
        for key in ("open_to_drawn_s", "pan_roundtrip_s", "click_roundtrip_s", "far_pan_ms", "zoom_in_ms",
                    "hover_ms", "clicks_ms", "change_s", "python_hwm_kb", "web_hwm_kb"):
            assert key in result, key
        assert result["hover_hits"] > 0 and len(result["change_s"]) == 20
    assert any((tmp_path / "data" / "pages").glob("*.json"))


def test_start_up_benchmark_child_reports_a_cold_and_a_warm_start(tmp_path, monkeypatch):
    import startup as startup_bench

    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    for _ in ("cold", "warm"):  # (the first run fills the page cache the second starts from)
        startup_bench.time_once(startup_bench.SITMAP)
        marks = startup_bench.time_once.last
        for key in ("IMPORTS", "WINDOW", "OPENED", "READY", "COMPLETE"):
            assert key in marks, key
        assert marks["PAGE"].get("ready", 0) > 0 and marks["MEM"] > 0
    assert any((tmp_path / "xdg_cache_home").rglob("pages/*.json"))  # (the page cache the warm start read)


def test_large_map_benchmark_child_says_how_the_points_were_shown(tmp_path):
    """Each frame step says whether the point layer drew its points, showed a picture it had kept
    or finished one being painted ahead: a pan back to the first view shows that view's picture again."""
    from tools.big_projects import write_points_project

    project = write_points_project(tmp_path / "points.sitmap.json", 20_000)
    result = annotations_bench.run_child(project, 120, tmp_path / "work")
    assert "failed" not in result, result
    # (the far pan's view, over the Pacific, has no point; the jump's always has points not seen)
    assert result["far_pan_ms_points"] == "none in view" and result["far_pan_back_ms_points"] == "kept"
    assert {result["zoom_in_ms_points"], result["zoom_out_ms_points"]} <= {"drawn", "kept", "ahead, finished"}
    assert result["jump_ms_points"] == "drawn" and result["jump_ms"] > 0


def test_page_profile_names_the_page_scripts_where_the_time_went():
    """benchmarks/page_profile.py: the page's JavaScript profile from its start to ready, taken
    through the DevTools protocol, each function named by its own script's file and line (not the
    bundle's), for a window opening a map and for a briefing export; and of a zoom step."""
    import page_profile

    from viewer.render.page_assets import PAGE_JS, page_bundle

    for export in (False, True):
        prof = page_profile.profile(None, export, (800, 600), 500, 120)
        assert prof["samples"] and len(prof["samples"]) == len(prof["timeDeltas"])
        text = page_profile.report(prof, 10, 100.0)
        assert "ms of it busy" in text and "timeline:" in text
        names, _ = page_profile._names(prof)
        # every line of the bundle named by its own script's, but the bundle's own run (its line 1)
        assert {n for n in names.values() if "sitmap-page.js" in n} <= {"(anonymous) sitmap-page.js:1"}
        own = {n.split(" ")[-1].split(":")[0] for n in names.values()}
        assert own & {name.split("/")[-1] for name in PAGE_JS}
    # a zoom step on the ready map, profiled once the page is idle
    prof = page_profile.profile(None, False, (800, 600), 100, 120, zoom=True)
    assert prof["samples"] and prof["endTime"] > prof["startTime"]
    assert "around a zoom step" in page_profile.report(prof, 10, 10.0, "around a zoom step")
    # a bundle line is its script's own: the line that opens sitmap.js's own text is sitmap.js:1
    first = page_bundle().split("\n").index("// --- js/sitmap.js") + 2
    names, _ = page_profile._names({"nodes": [{"id": 1, "callFrame": {
        "functionName": "f", "url": "sitmap://app/js/sitmap-page.js", "lineNumber": first - 1}}]})
    assert names[1] == "f sitmap.js:1"
