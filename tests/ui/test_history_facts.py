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
    assert rows["Event in the launch history"][0].startswith("not in it (no launch within 60 km and 36 hours")
    assert rows["Event in the launch history"][1] == "SitMap, from test table"
    assert "Distance flown, compared" in rows  # (compared with the launches before it, as a next event is)
    panel.use_history(h.load_default())
    assert "Distance flown, compared" in group_rows(window)


def test_a_map_without_a_launch_has_no_comparison(window, qtbot):
    from dataclasses import replace

    s = window.doc.scenario
    features = [f for f in s.features if f.role != "launch"]
    bare = replace(s, features=features, facts=[f for f in s.facts if f.feature != "launch-point"])
    window.facts.set_scenario(bare)
    assert group_rows(window) == {}


def test_the_next_event_not_in_the_history_is_compared_with_the_launches_before_it(window, qtbot):
    # (a launch the history does not hold yet got only "not in the history": no comparison at all)
    from dataclasses import replace
    from datetime import datetime, timezone

    s = window.doc.scenario
    sinpo = (128.18, 40.03)  # lon, lat: within 60 km of the history's Sinpo site
    features = [replace(f, geometry={"type": "Point", "coordinates": list(sinpo)}) if f.id == "launch-point" else f
                for f in s.features]
    when = datetime(2031, 10, 13, 21, 42, tzinfo=timezone.utc)
    facts = [replace(f, time_utc=(when,)) if f.time_utc else f for f in s.facts]
    moved = replace(s, features=features, facts=facts, event_time_utc=when)
    window.facts.set_scenario(moved)
    rows = group_rows(window)
    assert rows["Event in the launch history"][0].startswith("not in it")
    site = next(k for k in rows if k.startswith("Earlier launches from "))
    assert "Sinpo" in site and "most often" in rows[site][0]
    history = h.load_default()
    earlier = [x for x in history.launches if x.distance_km is not None]
    farther = sum(1 for x in earlier if x.distance_km < 380)
    assert f"farther than {farther:,} of the {len(earlier):,} earlier launches with a known distance" \
        in rows["Distance flown, compared"][0]
    assert rows["Apogee, compared"][0].startswith("42 km")
    assert all(status == "derived" for _v, _s, status in rows.values())
    panel = window.history_panel
    panel.set_scenario(moved)
    text = panel.event_label.text()
    assert text.startswith("This map's launch is not in the launch history yet. Compared with before")
    assert "Sinpo" in text and "Distance flown, compared: 380 km" in text
    assert panel.same_site_button.isEnabled()
