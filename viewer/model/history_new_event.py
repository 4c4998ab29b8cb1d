""""Compared with before" for a map's own launch that the launch history does not hold (the next
event, mapped before any database has it): the earlier launches from its site (the history's site
within 60 km of its launch point), and where the map's reported distance and apogee fall among
theirs and among every earlier launch's. Derived, with the history as its source; never written
into the map."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from viewer.model import history as hist

HOW = ("Earlier launches: those in the launch history before the day of this map's launch (all of them when "
       "the map has no launch time); its site: the history's site within 60 km of the map's launch point. "
       "Distance and apogee: the map's reported figures (its flight path's, else its first range ring's).")


@dataclass(frozen=True)
class NewEventComparison:
    site: hist.Site | None
    from_site: tuple[hist.Launch, ...]  # the earlier launches from its site
    earlier: tuple[hist.Launch, ...]  # every earlier launch
    facts: tuple[hist.LaunchFact, ...]

    @property
    def text(self) -> str:
        return "\n".join(f"{f.label}: {f.value}" for f in self.facts)


def map_figures(scenario) -> tuple[float | None, float | None]:
    """The map's reported distance and apogee in km: its flight path's (the launch event's
    ``reported_range_m`` and ``reported_apogee_m``), else its first range ring's radius."""
    distance = apogee = None
    for f in scenario.features:
        p = f.properties
        if f.kind == "path" and p.get("reported_range_m"):
            distance = float(p["reported_range_m"]) / 1000
            apogee = float(p["reported_apogee_m"]) / 1000 if p.get("reported_apogee_m") else None
            break
    if distance is None:
        ring = next((f for f in scenario.features if f.kind == "range_ring"), None)
        if ring is not None:
            distance = float(ring.properties["radius_m"]) / 1000
    return distance, apogee


def compare_new_event(history: hist.LaunchHistory, where: hist.ScenarioLaunch, distance_km: float | None,
                      apogee_km: float | None) -> NewEventComparison:
    day = where.time_utc.replace(hour=0, minute=0, second=0, microsecond=0) if where.time_utc else None
    earlier = tuple(x for x in history.launches if day is None or x.when_utc < day)
    site = hist.nearest_site(history, where.lat, where.lon)
    from_site = tuple(x for x in earlier if site is not None and x.site == site)
    src = f"SitMap, from {history.credit or history.name}"
    facts = [hist.LaunchFact("Event in the launch history",
                             "not in it (no launch within 60 km and 36 hours of this map's): compared with the "
                             "launches before it", src, "derived")]
    if site is None:
        facts.append(hist.LaunchFact("Earlier launches from this site",
                                     "none: no launch site of the history within 60 km of this map's launch point",
                                     src, "derived"))
    elif not from_site:
        facts.append(hist.LaunchFact(f"Earlier launches from {site.name}", "none on record", src, "derived"))
    else:
        systems = Counter(x.system.short for x in from_site).most_common(3)
        most = ", ".join(f"{name} ({n})" for name, n in systems)
        facts.append(hist.LaunchFact(f"Earlier launches from {site.name}",
                                     f"{_n(len(from_site))} ({_years(from_site)}); most often {most}", src, "derived"))
    for what, value, label in (("distance", distance_km, "Distance flown, compared"),
                               ("apogee", apogee_km, "Apogee, compared")):
        facts.append(hist.LaunchFact(label, _where_it_falls(what, value, from_site, site, earlier), src, "derived"))
    return NewEventComparison(site, from_site, earlier, tuple(facts))


def _where_it_falls(what: str, value: float | None, from_site: Sequence[hist.Launch], site: hist.Site | None,
                    earlier: Sequence[hist.Launch]) -> str:
    def figures(launches: Sequence[hist.Launch]) -> list[float]:
        got = (x.distance_km if what == "distance" else x.apogee_km for x in launches)
        return [v for v in got if v is not None]

    if value is None:
        return "not reported on this map"
    parts = []
    here = figures(from_site)
    if here:
        lo, hi = min(here), max(here)
        pos = "below" if value < lo else "beyond" if value > hi else "within"
        parts.append(f"{value:,.0f} km: {pos} the {lo:,.0f}\u2013{hi:,.0f} km of the {_n(len(here))} earlier "
                     f"launch{'es' if len(here) != 1 else ''} from {site.name} with a known {what}")
    every = figures(earlier)
    if every:
        less = sum(1 for v in every if v < value)
        more = "farther" if what == "distance" else "higher"
        parts.append(f"{more} than {less:,} of the {len(every):,} earlier launches with a known {what} "
                     f"({_years([x for x in earlier if (x.distance_km if what == 'distance' else x.apogee_km) is not None])})")
    if not parts:
        return f"{value:,.0f} km; no earlier {what} known"
    return "; ".join(parts) if here else f"{value:,.0f} km: " + parts[0]


def _n(n: int) -> str:
    return hist.count_text(n)


def _years(launches: Sequence[hist.Launch]) -> str:
    return hist.years_text(launches)
