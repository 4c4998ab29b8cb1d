"""A sample of hostile files opened and imported in the real window: each is refused with a message
that names the file, the open project is unchanged (features, facts, undo history) and the page
still answers."""

from __future__ import annotations

import json

from tests.fuzz.sample import CORPUS, corpus_sample
from tests.ui.conftest import js
from viewer.model.scenario import scenario_to_geojson


def state(window) -> tuple:
    return (json.dumps(scenario_to_geojson(window.scenario), sort_keys=True), window.undo_stack.count(),
            window.undo_stack.index(), window.scenario_path)


def take_error(window, name: str) -> str:
    box = window._error_box
    text = box.text()
    box.done(0)
    window._error_box = None
    assert name in text and "Traceback" not in text, text
    return text


def refused_when_opened(path) -> bool:
    """Whether opening the file as a map refuses it (an import is stricter: a sheet's colour "red"
    refuses an import, and opens as the row's original_color)."""
    from viewer.model.io.open_any import open_map_file
    from viewer.model.scenario import ScenarioError

    try:
        open_map_file(path)
    except ScenarioError:
        return True
    return False


def test_hostile_files_leave_the_open_project_untouched(qtbot, window, tmp_path):
    sample = [CORPUS / e["file"] for e in corpus_sample({"geojson": 8, "kml": 7, "kmz": 5, "csv": 7})]
    sample = [p for p in sample if refused_when_opened(p)]
    huge = tmp_path / "hundreds-of-mb.geojson"
    with open(huge, "wb") as f:
        f.truncate(300 * 2**20)  # sparse
    sample.append(huge)
    assert len(sample) >= 25 and len({p.suffix for p in sample}) == 4

    before = state(window)
    refused = 0
    for path in sample:
        window._error_box = None
        assert window.open_path(path) is False, path.name
        take_error(window, path.name)
        assert state(window) == before, f"open {path.name} changed the project"
        window._error_box = None
        assert window.import_path(path) == 0, path.name
        take_error(window, path.name)
        assert state(window) == before, f"import {path.name} changed the project"
        refused += 1
    assert js(qtbot, window.map_view, "document.querySelectorAll('.leaflet-container').length") >= 1
    assert js(qtbot, window.map_view, "6 * 7") == 42
    # and the window still works: a real import after all that is one undoable step
    good = tmp_path / "good.csv"
    good.write_text("lat,lon,name\n39.0,125.0,still working\n", encoding="utf-8")
    assert window.import_path(good) == 1
    assert window.undo_stack.count() == before[1] + 1
    print(f"\n{refused} hostile files opened and imported in the window: all refused, project unchanged")
