"""The legend's rows say what each symbol on the map is."""

from viewer import api
from viewer.render import layers


def test_an_impact_point_is_a_point_in_the_legend_not_a_second_estimated_impact_area():
    m = api.new_map("Impact")
    m.add_place(40.0, 128.2, "Launch", role="launch", source="JCS", status="reported")
    m.add_place(41.2, 133.75, "Where it came down", role="impact", source="Japan MOD", status="reported")
    m.add_place(41.0, 133.0, "Estimate", role="target_estimate", source="SitMap", status="estimated")
    m.add_area([(40.8, 133.0), (41.6, 133.0), (41.6, 134.5), (40.8, 134.5)], "Impact box", role="target_estimate",
               source="Japan MOD", status="estimated")
    rows = {r["text"]: r for r in layers.legend_entries(layers.draw_scenario(m.scenario))}
    assert set(rows) == {"Launch point", "Impact point", "Estimated impact point", "Estimated impact area"}
    # a point's swatch is its symbol (legend.js draws an area's box for an impact row without it)
    assert rows["Impact point"].get("point") is True and rows["Estimated impact point"].get("point") is True
    assert "point" not in rows["Estimated impact area"]


def test_an_arrowed_path_of_its_own_name_is_that_name_in_the_legend():
    m = api.new_map("Routes")
    m.add_path([(13.4, 144.7), (19.3, 166.6)], "Transit route", arrow=True, source="Navy", status="reported")
    m.add_path([(39.0, 125.7), (40.0, 130.0)], "Flight path (estimated)", arrow=True, source="JCS", status="estimated")
    m.add_path([(39.0, 125.7), (38.0, 131.0)], "", arrow=True, source="JCS", status="estimated")
    texts = [r["text"] for r in layers.legend_entries(layers.draw_scenario(m.scenario))]
    assert texts == ["Transit route (reported)", "Flight path (estimated)"]  # (the unnamed one: as a flight path)
