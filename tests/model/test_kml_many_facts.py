"""A KML SitMap saved of a map with many facts (10,000, each listed in its feature's balloon too)
opens with all of them and all its features; a text beyond what the reader takes is said in the
open report, never dropped without a word."""

from __future__ import annotations

from dataclasses import replace

import pytest

from viewer import resources
from viewer.model.io.kml_write import export_kml
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import Fact, load_scenario


@pytest.fixture(scope="module")
def base():
    return load_scenario(resources.default_scenario())


def _with_facts(s, n: int, on_one: bool):
    first = s.facts[0]
    fid = first.feature
    facts = [Fact(id=f"fact-{i}", group=first.group, label=f"Reported figure {i}",
                  value=f"{i} km from the coast, as the ministry said on day {i % 31 + 1}",
                  source="South Korea Joint Chiefs of Staff (JCS)", status=first.status,
                  feature=fid if on_one or i % 3 == 0 else None)
             for i in range(n)]
    return replace(s, facts=facts)


@pytest.mark.parametrize("on_one", [False, True], ids=["spread", "all-on-one-feature"])
def test_a_kml_sitmap_saved_with_ten_thousand_facts_opens_with_all_of_them(base, on_one):
    built = _with_facts(base, 10_000, on_one)
    scenario, report = open_map_bytes(export_kml(built), "many facts.kml")
    assert scenario.facts == built.facts
    assert [f.id for f in scenario.features] == [f.id for f in built.features]
    launch = scenario.feature(built.facts[0].feature)
    assert launch.properties.get("notes") == built.feature(launch.id).properties.get("notes")
    assert not report.counts and not report.notes, str(report)


def test_facts_beyond_what_the_kml_reader_takes_are_said_in_the_report(base, monkeypatch):
    from viewer.model.io import kml

    data = export_kml(_with_facts(base, 2_000, on_one=False))
    monkeypatch.setattr(kml, "MAX_CARRIED_CHARS", 100_000)  # (the real limit: far above what SitMap writes)
    scenario, report = open_map_bytes(data, "many facts.kml")
    assert scenario.facts == []
    assert any("sitmap_facts was not read" in n and "100,000" in n for n in report.notes), report.notes
    # the launch point's balloon lists its 667 facts: too long for notes, it opens without them, said so
    assert [f.id for f in scenario.features] == [f.id for f in base.features]
    assert kml.LONG_NOTES in report.kept_in_part, str(report)
