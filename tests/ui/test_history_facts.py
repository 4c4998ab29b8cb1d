"""'Compared with before' in the Facts tab: derived rows for the map's launch, through the real
window; computed, never written into the map."""

from __future__ import annotations

import json

from viewer.model import history as h
from viewer.model.scenario import scenario_to_geojson
from viewer.ui.history_window import COMPARED_GROUP


def group_rows(window) -> dict[str, tuple[str, str, str]]:
    return {label: (value, source, status) for group, label, value, source, status in window.facts.derived_rows()
            if group == COMPARED_GROUP}


def test_facts_tab_compares_the_maps_launch_with_earlier_tests(window, qtbot):
    rows = group_rows(window)
    assert rows["Distance flown, compared"][0] == \
        "380 km: within the 230\u2013410 km of the six earlier KN-24 tests of 2019\u20132020."
    assert rows["Apogee, compared"][0] == "42 km: within the 30\u201350 km of the six earlier KN-24 tests of 2019\u20132020."
    assert rows["Earlier KN-24 tests"][0] == "six (2019\u20132020)"
    assert rows["Event in the launch history"][0].startswith("2 \u00d7 Hwasong-11B (KN-24) from Pyongyang")
    assert rows["Earlier outcomes"][0] == "6 success"
    for value, source, status in rows.values():
        assert status == "derived"
        assert "CNS North Korea Missile Test Database" in source  # the history data set's credit
    # the group sits in the tree after the map's own groups, read-only
    tree = window.facts.tree
    top = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert top[-1] == COMPARED_GROUP
    group = tree.topLevelItem(tree.topLevelItemCount() - 1)
    item = group.child(2)
    assert not item.flags() & item.flags().ItemIsEditable
    # clicking a row shows it in full, with how it was computed; nothing is edited
    window.facts.tree.setCurrentItem(item)
    assert "within the 230\u2013410 km" in window.facts.detail.text()
    assert "How: Earlier tests" in window.facts.detail.text()
    window.facts._double_clicked(item, 0)  # no fact id: no edit dialog asked for
    # never stored in the map
    saved = json.dumps(scenario_to_geojson(window.doc.scenario), ensure_ascii=False)
    assert "Compared with before" not in saved and "230\u2013410" not in saved
    assert not any("compared" in f.label.lower() for f in window.doc.scenario.facts)


def test_compared_rows_follow_the_facts_and_the_history(window, qtbot):
    # the facts panel is rebuilt after every edit of the facts: the rows come back
    window.facts.set_scenario(window.doc.scenario)
    assert "Distance flown, compared" in group_rows(window)
    # another launch table without this launch: the group says so
    panel = window.history_panel
    other = h.LaunchHistory([x for x in h.load_default().launches if x.year < 2020], name="Before 2020",
                            credit="test table")
    panel.use_history(other)
    rows = group_rows(window)
    assert list(rows) == ["Event in the launch history"]
    assert rows["Event in the launch history"][0].startswith("not found in Before 2020")
    assert rows["Event in the launch history"][1] == "SitMap, from test table"
    panel.use_history(h.load_default())
    assert "Distance flown, compared" in group_rows(window)


def test_a_map_without_a_launch_has_no_comparison(window, qtbot):
    from dataclasses import replace

    s = window.doc.scenario
    features = [f for f in s.features if f.role != "launch"]
    bare = replace(s, features=features, facts=[f for f in s.facts if f.feature != "launch-point"])
    window.facts.set_scenario(bare)
    assert group_rows(window) == {}
