"""Times in any map: which features are timed, from their own time or their facts' times."""

from __future__ import annotations

from datetime import datetime, timezone

from viewer.model.history import feature_times
from viewer.model.scenario import Fact, Feature, Scenario

T = (datetime(2022, 1, 5, 22, 27, tzinfo=timezone.utc),)


class _CountedWalks(list):
    """A feature list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        self.walks += 1
        return super().__iter__()


def _point(i: int) -> Feature:
    return Feature(f"p{i}", "point", {"type": "Point", "coordinates": [127.0, 39.0]}, {})


def _walks(n: int) -> int:
    features = _CountedWalks(_point(i) for i in range(n))
    facts = [Fact(f"f{i}", "launch", "Launch time", "x", "s", "reported", feature=f"p{i}", time_utc=T)
             for i in range(n)]
    times = feature_times(Scenario("many facts", features, facts))
    assert len(times) == n and times["p7"] == list(T)
    return features.walks


def test_feature_times_walks_the_features_a_fixed_number_of_times_however_many_facts():
    # A search of the feature list per fact made a 20,000-feature map with a fact each take seconds
    # (and minutes at 100,000); the walks through the list must not grow with the facts.
    assert _walks(2_000) == _walks(10) <= 4


def test_facts_about_a_feature_not_on_the_map_time_nothing():
    facts = [Fact("f1", "launch", "Launch time", "x", "s", "reported", feature="gone", time_utc=T),
             Fact("f2", "launch", "Launch time", "x", "s", "reported", feature="p1", time_utc=T),
             Fact("f3", "launch", "Note", "x", "s", "reported", feature="p2")]
    times = feature_times(Scenario("facts", [_point(1), _point(2)], facts))
    assert times == {"p1": list(T)}


def test_a_map_of_20000_features_and_facts_is_timed_whole():
    n = 20_000
    facts = [Fact(f"f{i}", "launch", "Launch time", "x", "s", "reported", feature=f"p{i}", time_utc=T)
             for i in range(n)]
    times = feature_times(Scenario("large", [_point(i) for i in range(n)], facts))
    assert len(times) == n
