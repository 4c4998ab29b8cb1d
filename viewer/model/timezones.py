"""Time zones, offline: the zone at a place (timezonefinder's shipped boundaries) and the local
time it keeps at a moment (IANA rules from zoneinfo/tzdata)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from viewer.model.scenario import LocalTime
from viewer.model.zone_clock import known_zone


@lru_cache(maxsize=1)
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a place (``Asia/Pyongyang``), or None at sea far from any coast."""
    try:
        return _finder().timezone_at(lng=float(lon), lat=float(lat))
    except ValueError:
        return None


def all_zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def local_time(zone: str, at_utc: datetime | None) -> LocalTime:
    """The offset and short name ``zone`` keeps at ``at_utc`` (now if unknown): ``+09:00 KST``,
    with the zone itself, so the map's other times are shown with the offset it keeps then.
    Offsets are kept to the minute, as the file format keeps them."""
    from zoneinfo import ZoneInfo

    moment = (at_utc or datetime.now(timezone.utc)).astimezone(ZoneInfo(zone))
    offset = moment.utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    name = moment.tzname() or zone
    if name.startswith(("+", "-")) or not name.strip():
        name = zone.rsplit("/", 1)[-1].replace("_", " ")
    return LocalTime(timedelta(minutes=minutes), name[:40], zone if known_zone(zone) else None)
