"""The facts of one launch of the history, each with its source and status (reported, or
estimated for the landing point computed from site, bearing and distance)."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.model.history_launches import KST, Launch, Site


@dataclass(frozen=True)
class LaunchFact:
    label: str
    value: str
    source: str
    status: str  # reported, claimed, derived or estimated


def _km(v: float) -> str:
    return f"{v:,.0f} km" if v >= 10 else f"{v:,.1f} km"


def launch_facts(x: Launch) -> list[LaunchFact]:
    """Everything known about one launch, each with its source and status."""
    src, st = x.source or "launch history", x.status
    if x.time_utc:
        kst = LaunchFact("Date and time (KST)", x.date_text(KST, "KST"), f"SitMap, from the UTC time ({src})", "derived")
    else:
        kst = LaunchFact("Date and time (KST)", "not known (no launch time)", src, st)
    facts = [
        LaunchFact("Date and time (UTC)", x.date_text(), src, st),
        kst,
        LaunchFact("System", f"{x.system.name}, {x.system.cls}", src, st),
        LaunchFact("Site", _site_text(x.site), src, st),
        LaunchFact("Apogee", _km(x.apogee_km) if x.apogee_km is not None else "not known", src, st),
        LaunchFact("Distance flown", _km(x.distance_km) if x.distance_km is not None else "not known", src, st),
        LaunchFact("Bearing", f"{x.bearing_deg:g}\u00b0" if x.bearing_deg is not None else "not known", src, st),
        LaunchFact("Outcome", x.outcome, src, st),
    ]
    if x.landing:
        facts.append(LaunchFact("Landing area", x.landing, src, st))
    end = x.landing_point
    if end is not None:
        facts.append(LaunchFact(
            "Landing point (estimated)", f"{end[0]:.3f}\u00b0 N, {end[1]:.3f}\u00b0 E",
            f"SitMap: geodesic from the site at {x.bearing_deg:g}\u00b0 for {_km(x.distance_km)} (WGS84)", "estimated"))
    return facts


def _site_text(s: Site) -> str:
    where = f"{s.name} ({s.lat:.4f}\u00b0 N, {s.lon:.4f}\u00b0 E)"
    if s.precision == "area":
        where += "; position is the area's centre"
    elif s.precision == "placeholder":
        where += "; site not known, shown at a placeholder position"
    return where

