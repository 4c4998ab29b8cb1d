"""Time in any map: the times of a map's features (their own ``time_utc`` and their facts'), and
which timed facts a window holds. Generic, not tied to the launch history: any map with times
uses the time slider and ``--time-window``."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from viewer.model.drawn_from import launch_groups, links_of


def parse_time(value: Any) -> datetime | None:
    """An ISO time (UTC unless it says its offset), or a date as KML's TimeStamp allows it, a day,
    a month ("1984-09") or a year: its first moment (as a launch dated to the month is placed)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text):
        text = f"{text}-01-01"[:10] if len(text) == 4 else f"{text}-01"
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def feature_times(scenario) -> dict[str, list[datetime]]:
    """Times of the scenario's features: their own ``time_utc`` property (one ISO time or a list)
    and the ``time_utc`` of the facts about them. Generic: any map with times uses the slider.

    A feature drawn from another (:func:`viewer.model.drawn_from.links_of`) is shown and hidden
    with it: a launch point and its rings, flight path and impact area are one event and share
    all their times (a path from two launch points at one place, those of both); a ring round any
    other timed feature has that feature's times beside its own."""
    out: dict[str, list[datetime]] = {}
    for f in scenario.features:
        raw = f.properties.get("time_utc")
        if raw is None:  # (most features: a 100,000-point map is walked at once)
            continue
        values = raw if isinstance(raw, (list, tuple)) else [raw]
        times = [t for t in (parse_time(v) for v in values[:16]) if t is not None]
        if times:
            out.setdefault(f.id, []).extend(times)
    ids: set[str] | None = None  # (a set, made once: a search per fact was quadratic on a large map)
    for fact in scenario.facts:
        if fact.feature and fact.time_utc:
            if ids is None:
                ids = {f.id for f in scenario.features}
            if fact.feature in ids:
                out.setdefault(fact.feature, []).extend(fact.time_utc)
    links = links_of(scenario)
    if links:
        _share_times(out, links, launch_groups(scenario, links))
    return out


def _share_times(out: dict[str, list[datetime]], links: dict[str, tuple[str, ...]], groups: dict[str, list[str]]) -> None:
    # A launch point's times go to what is drawn from it, each keeping its own too; a timed point
    # keeps only its own (a line of the analyst's own that starts there, timed in March, does not
    # bring a January launch into March); an untimed one takes the times of what is drawn from it.
    # (what is drawn from two launch points at one place is not one's alone: it times neither)
    for launch, drawn in groups.items():
        base = out.get(launch)
        if not base:
            base = sorted({t for m in drawn if len(links.get(m, ())) == 1 for t in out.get(m, ())})
            if not base:
                continue
            out[launch] = list(base)
        for m in drawn:
            out[m] = sorted(set(base) | set(out.get(m, ())))
    grouped = {m for drawn in groups.values() for m in drawn}
    # Anything else drawn from a timed feature (a ring round a city) is shown in its times and its own.
    for fid, anchors in links.items():
        if fid not in grouped and any(a in out for a in anchors):
            out[fid] = sorted({t for a in anchors for t in out.get(a, ())} | set(out.get(fid, ())))


def timed_facts(scenario, window: tuple[datetime, datetime] | None) -> tuple[list, list]:
    """(facts with a time inside the window, facts with a time outside it)."""
    inside, outside = [], []
    for fact in scenario.facts:
        if not fact.time_utc:
            continue
        if window is None or any(window[0] <= t <= window[1] for t in fact.time_utc):
            inside.append(fact)
        else:
            outside.append(fact)
    return inside, outside
