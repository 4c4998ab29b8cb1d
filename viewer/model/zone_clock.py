"""The clock an IANA time zone keeps at a moment, offline (zoneinfo, with the tzdata package where
the system has no zone rules): its offset from UTC, to the minute as the file format keeps it, and
the short name readers know it by (EST in January, EDT in July)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

# Zone abbreviations whose offset readers know: one the database gives for another offset is not
# used (it names Pyongyang's UTC+08:30 of 2015-2018 "KST", which readers take as Seoul's UTC+9).
STANDARD_OFFSETS = {"KST": timedelta(hours=9), "JST": timedelta(hours=9), "UTC": timedelta(0), "GMT": timedelta(0)}
MAX_ZONE_NAME = 64


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def known_zone(name: object) -> bool:
    """Whether ``name`` is an IANA zone this computer has the rules of (``America/New_York``)."""
    return isinstance(name, str) and 0 < len(name) <= MAX_ZONE_NAME and name in _known()


def offset_text(offset: timedelta) -> str:
    """``+09:00``, ``-03:30``: an offset as the file format writes it."""
    minutes = round(offset.total_seconds() / 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def clock_at(zone: str, moment: datetime) -> tuple[timedelta, str]:
    """The offset (whole minutes) and short name ``zone`` keeps at ``moment`` (an aware time):
    ``(-5 h, "EST")``. A zone without a short name of its own at that moment, or with one that
    readers take for another offset, is named by its offset: ``UTC+04``, ``UTC+08:30``.
    Raises OverflowError for a moment whose local time is off the calendar (before year 1, past
    9999); KeyError for a zone not known here."""
    from zoneinfo import ZoneInfo

    if not known_zone(zone):
        raise KeyError(zone)
    try:
        local = moment.astimezone(ZoneInfo(zone))
    except ValueError as e:  # (some Pythons say so for a time at the calendar's ends)
        raise OverflowError(str(e)) from None
    offset = timedelta(minutes=round((local.utcoffset() or timedelta(0)).total_seconds() / 60))
    return offset, short_name(local.tzname() or "", offset)


def short_name(name: str, offset: timedelta) -> str:
    """The database's short name for a zone at a moment, as SitMap shows it (see :func:`clock_at`)."""
    name = name.strip()
    if not name or name.startswith(("+", "-")) or STANDARD_OFFSETS.get(name, offset) != offset:
        text = offset_text(offset)
        return "UTC" + (text[:3] if text.endswith(":00") else text)
    return name[:40]
