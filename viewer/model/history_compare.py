""""Compared with before": how a launch event of the history compares with the earlier tests of
the same system (derived from the history's reported figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from viewer.model.history_facts import LaunchFact
from viewer.model.history_launches import OUTCOMES, Launch, LaunchHistory, System

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")

@dataclass(frozen=True)
class Comparison:
    """How a launch event compares with the earlier tests of the same system (derived)."""

    system: System
    event: tuple[Launch, ...]
    earlier: tuple[Launch, ...]
    distance_range: tuple[float, float] | None
    apogee_range: tuple[float, float] | None
    text: str
    source: str
    status: str = "derived"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def count_text(n: int) -> str:
    """"three" for 3 up to twelve, then digits: "1,204"."""
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else f"{n:,}"


def years_text(launches: Sequence[Launch]) -> str:
    """"2017" or "2016\u20132022": the years the launches span."""
    a, b = min(x.year for x in launches), max(x.year for x in launches)
    return str(a) if a == b else f"{a}\u2013{b}"


def _spread(value: float | None, values: list[float], unit_label: str, system: System, n_tests: int,
            years: str, what: str, name_what: bool = True) -> str:
    lo, hi = min(values), max(values)
    tests = f"the {count_text(n_tests)} earlier {system.short} test{'s' if n_tests != 1 else ''} of {years}"
    known = "" if len(values) == n_tests else f" ({len(values)} with a known {what})"
    if value is None:
        return f"{what.capitalize()}: not known for this event; {lo:,.0f}\u2013{hi:,.0f} km in {tests}{known}."
    v = f"{value:,.0f} km" + (f" {what}" if name_what else "")
    if lo == hi:
        rel = "the same as" if value == lo else ("more than" if value > lo else "less than")
        return f"{v}: {rel} the {lo:,.0f} km of {tests}{known}."
    if value < lo:
        pos = f"below the {lo:,.0f}\u2013{hi:,.0f} km"
    elif value > hi:
        pos = f"beyond the {lo:,.0f}\u2013{hi:,.0f} km"
    else:
        pos = f"within the {lo:,.0f}\u2013{hi:,.0f} km"
    return f"{v}: {pos} of {tests}{known}."


def event_of(history: LaunchHistory, launch: Launch) -> list[Launch]:
    """The launches of one event: same system, same site, same UTC day as ``launch``."""
    return [x for x in history.launches
            if x.system == launch.system and x.site == launch.site and x.date == launch.date]


def compared_with_before(history: LaunchHistory, launch: Launch) -> Comparison:
    """Earlier tests of the same system (before the event's day), their range and apogee spread,
    and where this event falls."""
    event = tuple(event_of(history, launch))
    first = min(x.when_utc for x in event)
    day = first.replace(hour=0, minute=0)
    earlier = tuple(x for x in history.launches if x.system == launch.system and x.when_utc < day)
    distance = launch.distance_km
    apogee = launch.apogee_km
    name = launch.system.short
    if not earlier:
        text = f"No earlier {name} test in {history.name}: this is the first on record."
        return Comparison(launch.system, event, earlier, None, None, text, history.credit)
    years = years_text(earlier)
    dists = [x.distance_km for x in earlier if x.distance_km is not None]
    apos = [x.apogee_km for x in earlier if x.apogee_km is not None]
    lines = [f"{count_text(len(earlier)).capitalize()} earlier {name} test{'s' if len(earlier) != 1 else ''} "
             f"({years}); this event: {len(event)} launch{'es' if len(event) != 1 else ''} on {launch.date}."]
    if dists:
        lines.append(_spread(distance, dists, "km", launch.system, len(earlier), years, "distance"))
    else:
        lines.append("No earlier distance known.")
    if apos:
        lines.append(_spread(apogee, apos, "km", launch.system, len(earlier), years, "apogee"))
    else:
        lines.append("No earlier apogee known.")
    outcomes = {o: sum(1 for x in earlier if x.outcome == o) for o in OUTCOMES}
    lines.append("Earlier outcomes: " + ", ".join(f"{n} {o}" for o, n in outcomes.items() if n) + ".")
    return Comparison(launch.system, event, earlier, (min(dists), max(dists)) if dists else None,
                      (min(apos), max(apos)) if apos else None, "\n".join(lines),
                      f"SitMap, from {history.credit or history.name}")


COMPARISON_HOW = ("Earlier tests: the launches of the same system in the launch history before the event's UTC "
                  "day; spreads are the lowest and highest of their reported figures.")


def comparison_facts(history: LaunchHistory, event: Sequence[Launch]) -> list[LaunchFact]:
    """"Compared with before" as rows of derived facts, for the Facts tab: the earlier tests of
    the same system, where this event's distance and apogee fall in their spread, their outcomes."""
    if not event:
        return []
    x = event[0]
    c = compared_with_before(history, x)
    src, st = c.source or f"SitMap, from {history.name}", c.status
    name = x.system.short
    rows = [LaunchFact("Event in the launch history",
                       f"{len(event)} \u00d7 {x.system.name} from {x.site.name}, {x.date_text()}", src, st)]
    if not c.earlier:
        rows.append(LaunchFact(f"Earlier {name} tests", "none: this is the first on record", src, st))
        return rows
    years = years_text(c.earlier)
    n = len(c.earlier)
    rows.append(LaunchFact(f"Earlier {name} tests", f"{count_text(n)} ({years})", src, st))
    for what, value, values in (
            ("distance", x.distance_km, [e.distance_km for e in c.earlier if e.distance_km is not None]),
            ("apogee", x.apogee_km, [e.apogee_km for e in c.earlier if e.apogee_km is not None])):
        label = "Distance flown" if what == "distance" else "Apogee"
        text = (_spread(value, values, "km", x.system, n, years, what, name_what=False) if values
                else f"no earlier {what} known")
        rows.append(LaunchFact(f"{label}, compared", text, src, st))
    outcomes = {o: sum(1 for e in c.earlier if e.outcome == o) for o in OUTCOMES}
    rows.append(LaunchFact("Earlier outcomes", ", ".join(f"{k} {o}" for o, k in outcomes.items() if k), src, st))
    return rows

