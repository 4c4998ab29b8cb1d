"""File > Open Recent lists the last eight maps, however many the settings hold."""

from __future__ import annotations

from viewer.ui.files import MAX_RECENT


def test_open_recent_lists_at_most_eight_maps_from_a_longer_list_in_the_settings(window):
    paths = [f"/maps/m{i}.sitmap.geojson" for i in range(40)]
    window.settings.setValue("files/recent", paths)
    window.files.refresh_recent()
    assert [a.text() for a in window.recent_menu.actions()] == paths[:MAX_RECENT]
    assert window.recent_files() == paths[:MAX_RECENT]
