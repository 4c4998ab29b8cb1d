"""A time window over any map: which features and facts a window shows.

Generic, not tied to the launch history: a feature is *timed* when it has its own ``time_utc``
property or facts about it have a ``time_utc`` (see :func:`viewer.model.history.feature_times`).
A timed feature is shown when one of its times is inside the window; a fact with a time when one
of its times is inside. Features and facts without a time are always shown. A feature drawn from
another goes with it (a launch point's rings, flight path and impact area are shown and left out
together; see :mod:`viewer.model.drawn_from`). Facts about a feature left out go with it, and so do
derived facts computed from one. The page, the briefing and the
data exports (GeoJSON, KML, CSV) use the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from viewer.model.history_filter import window_text
from viewer.model.map_times import feature_times
from viewer.model.scenario import Scenario

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class Windowed:
    """The map as a window shows it; ``scenario`` is a copy (the open map is never changed)."""

    scenario: Scenario
    window: Window | None
    hidden_features: tuple[str, ...] = ()
    hidden_facts: tuple[str, ...] = ()

    def statement(self) -> str:
        """"Time window shown: 2022-01-10 to 2022-01-20 UTC (1 timed feature and 2 facts left out)"."""
        if self.window is None:
            return ""
        text = f"Time window shown: {window_phrase(self.window)}"
        left = []
        if self.hidden_features:
            n = len(self.hidden_features)
            left.append(f"{n} timed feature{'s' if n != 1 else ''}")
        if self.hidden_facts:
            n = len(self.hidden_facts)
            left.append(f"{n} fact{'s' if n != 1 else ''}")
        if left:
            text += f" ({' and '.join(left)} outside it left out)"
        return text

    def as_json(self) -> dict | None:
        if self.window is None:
            return None
        a, b = self.window
        return {"start_utc": _iso(a), "end_utc": _iso(b), "text": self.statement(),
                "features_left_out": list(self.hidden_features), "facts_left_out": list(self.hidden_facts)}


def window_phrase(window: Window) -> str:
    """"2022-01-10 to 2022-01-20 UTC"; a window open at the start (the slider's "everything up
    to the moment") reads "up to 2022-01-20 UTC"."""
    a, b = window
    if a.year <= 1900:
        return "up to " + window_text((b, b)).split(" to ", 1)[1]
    return window_text(window)


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _inside(times, window: Window) -> bool:
    return any(window[0] <= t <= window[1] for t in times)


def left_out(scenario: Scenario, window: Window, timed: dict | None = None) -> tuple[set[str], set[str]]:
    """(ids of the features, ids of the facts) ``window`` leaves out: a feature whose times all lie
    outside it; a fact whose own times do, or that is about such a feature or derived from one.
    ``timed``: :func:`feature_times` of the scenario, when the caller has it already."""
    timed = feature_times(scenario) if timed is None else timed
    hidden = {fid for fid, times in timed.items() if not _inside(times, window)}
    facts = set()
    for fact in scenario.facts:
        uses = set()
        if fact.derive:
            uses = {str(v) for k, v in fact.derive.items() if k in ("from", "to", "path")}
        if (fact.time_utc and not _inside(fact.time_utc, window)) or (fact.feature in hidden) or (uses & hidden):
            facts.add(fact.id)
    return hidden, facts


def in_window(scenario: Scenario, window: Window | None) -> Windowed:
    """The map with what lies outside ``window`` ([start, end], UTC, both included) left out."""
    if window is None:
        return Windowed(scenario, None)
    hidden, hidden_ids = left_out(scenario, window)
    features = [f for f in scenario.features if f.id not in hidden]
    kept_facts = [f for f in scenario.facts if f.id not in hidden_ids]
    hidden_facts = [f for f in scenario.facts if f.id in hidden_ids]
    copy = replace(scenario, features=features, facts=kept_facts)
    return Windowed(copy, window, tuple(f.id for f in scenario.features if f.id in hidden),
                    tuple(f.id for f in hidden_facts))
