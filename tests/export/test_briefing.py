"""The briefing composition without Qt: sizes, layout numbers, texts and page safety."""

import json
import re
from datetime import datetime, timezone

import pytest

from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario
from viewer.render import layers


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


def test_paper_sizes_are_landscape_pixels_at_the_dpi():
    assert (b.ExportSize.for_paper("a4", 300).width, b.ExportSize.for_paper("a4", 300).height) == (3508, 2480)
    assert (b.ExportSize.for_paper("a4", 150).width, b.ExportSize.for_paper("a4", 150).height) == (1754, 1240)
    assert (b.ExportSize.for_paper("letter", 300).width, b.ExportSize.for_paper("letter", 300).height) == (3300, 2550)
    with pytest.raises(b.BriefingError):
        b.ExportSize.for_paper("a3", 300)


def test_a_slide_and_its_4k_twin_share_one_css_layout():
    hd, uhd = b.ExportSize.pixels(1920, 1080), b.ExportSize.pixels(3840, 2160)
    assert hd.css_size == pytest.approx((1280, 720)) and uhd.css_size == pytest.approx((1280, 720))
    assert (hd.zoom, uhd.zoom) == (1.5, 3.0)
    a4_150, a4_300 = b.ExportSize.for_paper("a4", 150), b.ExportSize.for_paper("a4", 300)
    assert a4_150.css_size == pytest.approx(a4_300.css_size, abs=1)


def test_slide_sizes_follow_the_briefing_style():
    size = b.ExportSize.pixels(1920, 1080)
    lay = b.make_layout(size, banner=True, title=True, subtitle=True, sources="Sources: A; B.", credits=True)
    dev = lambda v: v * size.zoom  # noqa: E731
    assert dev(lay.banner_top.height) == pytest.approx(40)
    assert 56 <= dev(lay.type.title) <= 64
    assert 30 <= dev(lay.type.subtitle) <= 34
    assert 24 <= dev(lay.type.legend) <= 28
    assert 18 <= dev(lay.type.footer) <= 22
    f = lay.frame
    assert f.width * f.height / (lay.css_width * lay.css_height) > 0.66
    # Nothing overlaps, top to bottom.
    order = [lay.banner_top, lay.title, lay.subtitle, lay.frame, lay.sources, lay.credits, lay.banner_bottom]
    for upper, lower in zip(order, order[1:]):
        assert upper.top + upper.height <= lower.top + 1e-6
    assert lay.banner_bottom.top + lay.banner_bottom.height == pytest.approx(720)


def test_a4_print_sizes_are_in_points():
    size = b.ExportSize.for_paper("a4", 300)
    lay = b.make_layout(size, banner=True, title=True, subtitle=True, sources="x", credits=True)
    pt = 4 / 3
    assert 20 * pt <= lay.type.title <= 24 * pt
    assert lay.type.banner_text == pytest.approx(11 * pt)
    assert lay.banner_top.height == pytest.approx(7 * 96 / 25.4)


def test_the_date_time_group_and_local_time_of_the_launch(scenario):
    assert b.dtg(datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)) == "162350Z JAN 22"
    assert b.event_time_text(scenario) == "Launch 162350Z JAN 22 (08:50 KST 17 Jan 2022)"
    assert b.created_text(datetime(2026, 11, 25, 10, 12, tzinfo=timezone.utc)) == "Map created 2026-11-25 10:12 UTC"


def test_sources_are_those_of_the_facts_on_visible_layers(scenario):
    drawn = layers.draw_scenario(scenario)
    everything = b.source_names(scenario, drawn, ())
    assert "South Korea Joint Chiefs of Staff (JCS)" in everything
    assert "US State Department" in everything  # (its facts are the map's own, about no feature)
    assert sum(1 for s in everything if s.startswith("SitMap")) == 1
    without_crossing = b.source_names(scenario, drawn, ("crossing",))
    assert "China Ministry of Foreign Affairs (spokesman Zhao Lijian)" in everything
    assert "China Ministry of Foreign Affairs (spokesman Zhao Lijian)" not in without_crossing


def test_the_sources_line_credits_the_features_shown_after_the_facts():
    """A map of features without facts (an imported list of sites) briefed with no sources line;
    the built-in map's bridge and station coordinates (from Wikipedia) and its cities went uncredited.
    A feature's source is named without what follows in brackets, once, and not where a fact's
    source has that name already; a hidden layer's features are not credited."""
    from viewer import api

    m = api.new_map("Sites")
    m.add_place(39.0, 125.7, "Site A", source="Beyond Parallel (CSIS), imagery 2021", status="reported")
    m.add_place(39.1, 125.8, "Site B", source="Wikipedia (de), coordinates", status="reported")
    m.add_place(39.2, 125.9, "Site C", source="Wikipedia (en), coordinates; sites.kml", status="reported")
    m.add_place(39.5, 126.0, "Hidden", source="Hidden source", status="reported", layer="work", annotation=True)
    m.set_properties(layers=[{"id": "work", "label": "Work", "visible": False, "locked": False}])
    drawn = layers.draw_scenario(m.scenario)
    assert b.source_names(m.scenario, drawn, ("work",)) == ["Beyond Parallel", "Wikipedia", "sites.kml"]
    page = b.compose(m.scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(hidden_groups=("work",)),
                     with_channel=False)
    assert page.config["sources"] == "Sources: Beyond Parallel; Wikipedia; sites.kml."
    assert page.config["sourceParts"] == {"names": ["Beyond Parallel", "Wikipedia", "sites.kml"], "notes": []}


def test_the_built_in_maps_sources_credit_its_features_without_repeating_its_facts_sources(scenario):
    names = b.source_names(scenario, layers.draw_scenario(scenario), ())
    assert names[-3:] == ["Wikipedia", "Wikipedia infobox", "World cities list"], names
    # (its features' "JCS (range)", "Japan Ministry of Defense (direction)" and "China Ministry of
    # Foreign Affairs (Zhao Lijian)": the facts name those sources already)
    assert not any(n in ("South Korea Joint Chiefs of Staff", "Japan Ministry of Defense",
                         "China Ministry of Foreign Affairs") for n in names), names
    assert len(names) == len(set(names))


def test_a_drafted_maps_sources_are_each_named_once_without_the_articles_words():
    """A drafted launch point's source quotes the article and names the list its place came from:
    the sources line names the agency once and that list, not "JCS (“the Sunan area”)" beside "JCS"."""
    from datetime import date

    from viewer.model.draft import draft_article

    text = ("SEOUL, March 3 (Reuters) - North Korea fired a ballistic missile toward the East Sea on Thursday, "
            "South Korea's Joint Chiefs of Staff said. The JCS said the missile was launched from the Sunan area "
            "and flew about 300 km.")
    sc = draft_article(text, article_date=date(2022, 3, 3)).scenario()
    assert any("\u201c" in f.source and "place:" in f.source for f in sc.facts)  # (the drafted source)
    names = b.source_names(sc, layers.draw_scenario(sc), ())
    jcs = [n for n in names if "Joint Chiefs" in n]
    assert jcs == ["South Korea Joint Chiefs of Staff (JCS)"], names
    assert not any("\u201c" in n or n.startswith("place:") for n in names), names
    assert any(n.startswith("CNS North Korea Missile Test Database") for n in names), names


def test_the_page_carries_scenario_text_only_as_json(scenario):
    from dataclasses import replace

    hostile = replace(scenario, title='</script><img src=x onerror=alert(1)>')
    page = b.compose(hostile, b.ExportSize.pixels(800, 600),
                     b.BriefingOptions(banner_text="<b>secret</b>", subtitle="<i>x</i>"))
    assert "<img src=x" not in page.html and "<b>secret" not in page.html and "<i>x" not in page.html
    cfg = re.search(r'<script type="application/json" id="sitmap-briefing-config">(.*?)</script>', page.html).group(1)
    data = json.loads(cfg)
    assert data["title"] == hostile.title and data["banner"] == "<B>SECRET</B>"


def test_banner_colours_must_be_hex(scenario):
    with pytest.raises(b.BriefingError):
        b.compose(scenario, b.ExportSize.pixels(800, 600), b.BriefingOptions(banner_colour="red;}body{x"))


def test_hidden_parts_leave_their_space_to_the_map(scenario):
    size = b.ExportSize.pixels(1920, 1080)
    full = b.compose(scenario, size, b.BriefingOptions(banner_text="UNCLASSIFIED")).layout
    bare = b.compose(scenario, size, b.BriefingOptions(show_title=False, show_subtitle=False, show_sources=False,
                                                       show_attribution=False, show_created=False)).layout
    assert bare.title is None and bare.banner_top is None and bare.sources is None
    assert bare.frame.height > full.frame.height + 150


def test_tiles_go_in_at_their_token_once_and_safely_inside_a_script():
    """The HTML export and a briefing's page put the tiles' own JSON where their token stands,
    escaped for a <script> element; a token missing or doubled is refused, not guessed at."""
    import json

    import pytest

    from viewer.export.frame_view import place_tiles

    tiles = {"5/27/12": b'{"labels":[{"text":"</script><b>"}]}'}
    text = place_tiles('{"a":1,"t":"__tok__"}', "__tok__", tiles)
    assert "</script>" not in text and "<b>" not in text
    assert json.loads(text) == {"a": 1, "t": {"5/27/12": {"labels": [{"text": "</script><b>"}]}}}
    for bad in ('{"a":1}', '["__tok__","__tok__"]'):
        with pytest.raises(ValueError, match="exactly once"):
            place_tiles(bad, "__tok__", tiles)


def test_a_banner_with_caveats_takes_the_colour_of_the_level_it_begins_with():
    """SECRET//NOFORN was green (UNCLASSIFIED's): only the bare levels were known."""
    from viewer.export.briefing import MARKINGS, marking_colours

    colour = {text: (bg, fg) for text, bg, fg in MARKINGS}
    assert marking_colours("SECRET//NOFORN") == colour["SECRET"]
    assert marking_colours("top secret//si//noforn") == colour["TOP SECRET"]
    assert marking_colours("TOP  SECRET") == colour["TOP SECRET"]
    assert marking_colours("CONFIDENTIAL//REL TO USA, GBR") == colour["CONFIDENTIAL"]
    assert marking_colours("UNCLASSIFIED//FOUO") == colour["UNCLASSIFIED"]
    assert marking_colours("CUI//SP-PRVCY") == colour["CUI"]
    assert marking_colours("SECRETARIAT DRAFT") == ("#007A33", "#FFFFFF")  # (a word that begins alike)
    assert marking_colours("") == ("#007A33", "#FFFFFF")


def test_a_briefings_facts_box_and_sources_take_the_maps_own_facts_about_no_feature():
    """Facts added without a feature (the map's own: a reaction, an analyst's view) were left out
    of the facts box and the sources line: a map of such facts alone showed neither."""
    from viewer import api

    m = api.new_map("Own facts")
    m.add_place(39.0, 125.7, "Launch", role="launch", source="JCS", status="reported")
    hidden = m.add_place(39.5, 126.0, "Hidden", source="Hidden source", status="reported", layer="work", annotation=True)
    m.set_properties(layers=[{"id": "work", "label": "Work", "visible": False, "locked": False}])
    m.add_fact("Reaction", "Condemned", source="US State Department", status="reported")
    m.add_fact("About the hidden place", "x", source="Hidden source", status="reported", feature=hidden)
    drawn = layers.draw_scenario(m.scenario)
    page = b.compose(m.scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(show_facts=True, hidden_groups=("work",)),
                     with_channel=False)
    assert [f["label"] for f in page.config["facts"]] == ["Reaction"]
    assert b.source_names(m.scenario, drawn, ("work",)) == ["US State Department", "JCS"]  # (then the features')


def test_a_briefing_says_which_features_lie_past_the_projection_at_the_pole():
    from viewer import api

    m = api.new_map("Arctic")
    m.add_place(89.9, 0, "Camp", source="Test", status="reported")
    m.add_place(78.22, 15.65, "Longyearbyen", source="Test", status="reported")
    m.add_ring(90, 0, 500_000, "500 km", source="Test", status="estimated")
    page = b.compose(m.scenario, b.ExportSize.pixels(1280, 720), b.BriefingOptions(), with_channel=False)
    assert "2 feature(s) lie beyond 85\u00b0 north or south, past the map's projection" in page.config["sources"]
    south = api.new_map("South")
    south.add_place(-60.0, 0, "Ship", source="Test", status="reported")
    plain = b.compose(south.scenario, b.ExportSize.pixels(1280, 720), b.BriefingOptions(), with_channel=False)
    assert "projection" not in plain.config["sources"]
