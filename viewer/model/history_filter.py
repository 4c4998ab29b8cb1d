"""What part of the launch history to show: the filter (years, systems, classes, sites, outcomes,
distance bands, a time window), the command line's window and years, and counts per year."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

from viewer.model.history_launches import (CLASSES, DISTANCE_BANDS, OUTCOMES, HistoryError, Launch,
                                           LaunchHistory)


@dataclass(frozen=True)
class HistoryFilter:
    """What the analyst asked to see. Empty sets mean "all"; ``window`` is [start, end] in UTC."""

    years: tuple[int, int] | None = None
    systems: frozenset[str] = frozenset()  # system keys
    classes: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()  # site keys
    outcomes: frozenset[str] = frozenset()
    bands: frozenset[int] = frozenset()  # indices into DISTANCE_BANDS
    window: tuple[datetime, datetime] | None = None  # [start, end], both included

    def matches(self, x: Launch) -> bool:
        if self.years and not self.years[0] <= x.year <= self.years[1]:
            return False
        if self.systems and x.system.key not in self.systems:
            return False
        if self.classes and x.system.cls not in self.classes:
            return False
        if self.sites and x.site.key not in self.sites:
            return False
        if self.outcomes and x.outcome not in self.outcomes:
            return False
        if self.bands and not any(in_band(x.distance_km, i) for i in self.bands):
            return False
        if self.window and not self.window[0] <= x.when_utc <= self.window[1]:
            return False
        return True

    def apply(self, launches: Iterable[Launch]) -> list[Launch]:
        return [x for x in launches if self.matches(x)]

    def to_page(self) -> dict[str, Any]:
        """The same filter for the page (which filters its compact list itself)."""
        return {
            "years": list(self.years) if self.years else None,
            "systems": sorted(self.systems), "classes": sorted(self.classes), "sites": sorted(self.sites),
            "outcomes": sorted(self.outcomes), "bands": sorted(self.bands),
            "window": [int(self.window[0].timestamp()), int(self.window[1].timestamp())] if self.window else None,
        }

    def describe(self, history: LaunchHistory | None = None) -> str:
        """One line saying what is shown, for the briefing and the status line."""
        parts = []
        if self.years:
            a, b = self.years
            parts.append(str(a) if a == b else f"{a}\u2013{b}")
        names = {s.key: s.short for s in history.systems_used()} if history else {}
        if self.systems:
            parts.append(", ".join(sorted(names.get(k, k) for k in self.systems)))
        if self.classes:
            parts.append(", ".join(c for c in CLASSES if c in self.classes))
        if self.sites:
            site_names = {s.key: s.name for s in history.sites_used()} if history else {}
            parts.append("from " + ", ".join(sorted(site_names.get(k, k) for k in self.sites)))
        if self.outcomes:
            parts.append(" or ".join(o for o in OUTCOMES if o in self.outcomes))
        if self.bands:
            parts.append(", ".join(DISTANCE_BANDS[i][0] for i in sorted(self.bands)))
        if self.window:
            parts.append("window " + window_text(self.window))
        return "; ".join(parts) if parts else "all launches"

    def with_(self, **changes) -> "HistoryFilter":
        return replace(self, **changes)


def in_band(distance_km: float | None, band: int) -> bool:
    _label, lo, hi = DISTANCE_BANDS[band]
    if lo is None:
        return distance_km is None
    if distance_km is None:
        return False
    return lo <= distance_km and (hi is None or distance_km < hi)


def window_text(window: tuple[datetime, datetime]) -> str:
    a, b = window

    def t(d: datetime) -> str:
        d = d.astimezone(timezone.utc)
        whole_day = (d.hour, d.minute) == (0, 0) or (d.hour, d.minute, d.second) == (23, 59, 59)
        return f"{d:%Y-%m-%d}" if whole_day else f"{d:%Y-%m-%d %H:%M}"

    return f"{t(a)} to {t(b)} UTC"


_TIME_PART = r"\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?)?)?"


def _start_end(text: str) -> tuple[datetime, datetime]:
    """"2022" -> all of 2022; "2022-01" -> January; "2022-01-17" -> that day; with a time -> that minute."""
    text = text.strip().rstrip("Z")
    try:
        if re.fullmatch(r"\d{4}", text):
            y = int(text)
            return datetime(y, 1, 1, tzinfo=timezone.utc), datetime(y + 1, 1, 1, tzinfo=timezone.utc)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            a = datetime.strptime(text, "%Y-%m").replace(tzinfo=timezone.utc)
            b = (a + timedelta(days=32)).replace(day=1)
            return a, b
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            a = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return a, a + timedelta(days=1)
        a = datetime.fromisoformat(text.replace(" ", "T"))
        # (a time with its UTC offset is that moment; one without is UTC, as the window's times are)
        a = a.astimezone(timezone.utc) if a.tzinfo is not None else a.replace(tzinfo=timezone.utc)
        return a, a + timedelta(minutes=1)
    except ValueError:
        raise HistoryError(f"{text!r} is not a date") from None


def parse_window(text: str) -> tuple[datetime, datetime]:
    """A time window from the command line: "START/END" (dates or ISO times, UTC, END included),
    "START..END", or one year, month or day ("2022", "2022-01", "2022-01-17").
    Returns [start, end] as used by :class:`HistoryFilter`."""
    t = (text or "").strip()
    sep = "/" if "/" in t else ".." if ".." in t else None
    if sep:
        a_text, b_text = t.split(sep, 1)
        a, _ = _start_end(a_text)
        _, b = _start_end(b_text)
    elif re.fullmatch(_TIME_PART, t):
        a, b = _start_end(t)
    else:
        raise HistoryError(f"time window {text!r}: use START/END, e.g. 2022-01-01/2022-01-31, or a year or month")
    if b <= a:
        raise HistoryError(f"time window {text!r}: the end is not after the start")
    return a, b - timedelta(seconds=1)


def parse_years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-\u2013/]|\.\.)?\s*(\d{4})?\s*", text or "")
    if not m:
        raise HistoryError(f"years {text!r}: use YEAR or FIRST-LAST, e.g. 2019-2022")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise HistoryError(f"years {text!r}: the last year is before the first")
    return a, b


def counts_per_year(launches: Sequence[Launch], years: tuple[int, int] | None = None) -> dict[int, int]:
    """Launches per year, every year of the range present (zero where none flew)."""
    if years is None:
        if not launches:
            return {}
        years = (min(x.year for x in launches), max(x.year for x in launches))
    out = {y: 0 for y in range(years[0], years[1] + 1)}
    for x in launches:
        if x.year in out:
            out[x.year] += 1
    return out

