"""The map's own launch as the launch history sees it: its point and time, the history's launches
that are the same event, and the history's launch site nearest to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from viewer.model import geodesy
from viewer.model.history_compare import event_of
from viewer.model.history_launches import Launch, LaunchHistory, Site


@dataclass(frozen=True)
class ScenarioLaunch:
    """The scenario's launch feature as the history sees it."""

    feature_id: str
    lat: float
    lon: float
    time_utc: datetime | None


def scenario_launch(scenario) -> ScenarioLaunch | None:
    """The first point feature with role "launch", and its time (the launch facts' ``time_utc``,
    else the scenario's event time)."""
    for f in scenario.features:
        if f.role == "launch" and f.geometry.get("type") == "Point":
            lat, lon = f.latlon()
            times = [t for fact in scenario.facts_for(f.id) for t in fact.time_utc]
            when = min(times) if times else scenario.event_time_utc
            return ScenarioLaunch(f.id, lat, lon, when)
    return None


def match_event(history: LaunchHistory, where: ScenarioLaunch, max_km: float = 60.0,
                max_hours: float = 36.0) -> list[Launch]:
    """History launches that are the scenario's launch: within ``max_km`` of its point and
    ``max_hours`` of its time; the launches of the closest such event."""
    if where.time_utc is None:
        return []
    best: list[tuple[float, Launch]] = []
    for x in history.launches:
        hours = abs((x.when_utc - where.time_utc).total_seconds()) / 3600.0
        if hours > max_hours:
            continue
        d, _, _ = geodesy.distance_bearing(where.lat, where.lon, x.site.lat, x.site.lon)
        if d <= max_km * 1000.0:
            best.append((hours, x))
    if not best:
        return []
    best.sort(key=lambda p: (p[0], p[1].when_utc))
    return event_of(history, best[0][1])


def nearest_site(history: LaunchHistory, lat: float, lon: float, max_km: float = 60.0) -> Site | None:
    """The history's site closest to a point (real sites before area centres and placeholders)."""
    best = None
    for s in history.sites_used():
        d, _, _ = geodesy.distance_bearing(lat, lon, s.lat, s.lon)
        rank = (s.precision == "placeholder", d)
        if d <= max_km * 1000.0 and (best is None or rank < best[0]):
            best = (rank, s)
    return best[1] if best else None

