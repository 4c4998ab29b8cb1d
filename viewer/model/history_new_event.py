""""Compared with before" for a map's own launch that the launch history does not hold (the next
event, mapped before any database has it): the earlier launches from its site (the history's site
within 60 km of its launch point), and where the map's reported distance and apogee fall among
theirs and among every earlier launch's. Derived, with the history as its source; never written
into the map."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from viewer.model import history as hist

HOW = ("Earlier launches: those in the launch history before the day of this map's launch (all of them when "
       "the map has no launch time); its site: the history's site within 60 km of the map's launch point. "
       "Distance: the map's reported range (its flight path's, else its first range ring's, else its range fact's); "
       "apogee: the figure of the map's apogee fact.")


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
    """The map's reported distance and apogee in km, whatever features it has (a launch event
    built without a direction has no flight path, and a map's features may have been deleted).

    Distance: its flight path's ``reported_range_m``, else its first range ring's radius, else the
    figure of its first range fact. Apogee: the figure of its apogee fact (the fact is what the
    analyst sees and edits), else the flight path's ``reported_apogee_m``."""
    distance = path_apogee = None
    for f in scenario.features:
        p = f.properties
        if f.kind == "path" and p.get("reported_range_m"):
            distance = _km(p["reported_range_m"])
            path_apogee = _km(p.get("reported_apogee_m"))
            break
    if distance is None:
        ring = next((f for f in scenario.features if f.kind == "range_ring"), None)
        if ring is not None:
            distance = _km(ring.properties.get("radius_m"))
    if distance is None:
        distance = next((v for v in map(fact_km, _facts(scenario, "range")) if v is not None), None)
    apogee = next((v for v in map(fact_km, _facts(scenario, "apogee")) if v is not None), path_apogee)
    return distance, apogee


def _km(metres) -> float | None:
    try:
        v = float(metres) / 1000
    except (TypeError, ValueError):
        return None
    return v if v > 0 and v == v and v != float("inf") else None


# The map's facts of one figure: the launch event's ids ("apogee", "range-380km"), or its labels
# (a map written by hand or by another tool).
_FACT_IDS = {"apogee": re.compile(r"apogee"), "range": re.compile(r"range-.+")}
_FACT_LABELS = {"apogee": ("apogee",), "range": ("range flown", "range")}


def _facts(scenario, what: str) -> list:
    by_id = [f for f in scenario.facts if _FACT_IDS[what].fullmatch(f.id)]
    return by_id or [f for f in scenario.facts if f.label.strip().casefold() in _FACT_LABELS[what]]


_UNITS_KM = {"km": 1.0, "kilometre": 1.0, "kilometer": 1.0, "mi": 1.609344, "mile": 1.609344, "nm": 1.852,
             "nmi": 1.852, "nautical mile": 1.852, "m": 0.001, "metre": 0.001, "meter": 0.001}
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*-?\s*"
                     r"(km|kilomet(?:re|er)s?|nmi|nm|nautical miles?|mi|miles?|m|met(?:re|er)s?)(?![a-z])", re.I)


def fact_km(fact) -> float | None:
    """The first distance a fact's value states, in km: "About 42 km" -> 42, "6,248 km (3,882 mi)"
    -> 6248, "240 miles" -> 386.2; None when it states none."""
    m = _FIGURE.search(fact.value or "")
    if m is None:
        return None
    unit = m.group(2).lower()
    unit = unit[:-1] if unit.endswith("s") and len(unit) > 2 else unit  # (plurals: "miles", "metres")
    v = float(m.group(1).replace(",", "")) * _UNITS_KM.get(unit, 1.0)
    return v if v > 0 else None


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
