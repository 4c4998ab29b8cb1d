"""The drafted launch time: the days and clock times the sentences about the launch give, resolved
against the article's date in the launch place's time zone; one launch timed by several sources
kept as one (:func:`time_items`). Used by :mod:`viewer.model.draft.assemble`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from viewer.model.draft import extract as X
from viewer.model.draft.items import DraftItem, Unresolved


def sentence_at(sents: list[X.Sentence], offset: int) -> X.Sentence:
    import bisect

    k = bisect.bisect_right([s.start for s in sents], offset) - 1 if len(sents) < 64 else \
        bisect.bisect_right(_starts(sents), offset) - 1
    return sents[max(0, k)]


_STARTS: dict[int, list[int]] = {}


def _starts(sents: list[X.Sentence]) -> list[int]:
    key = id(sents)
    if key not in _STARTS or len(_STARTS[key]) != len(sents):
        _STARTS.clear()
        _STARTS[key] = [s.start for s in sents]
    return _STARTS[key]


def time_items(new_id, days, clocks, sents, article_date, zone, source_of, unresolved) -> list[DraftItem]:
    out: list[DraftItem] = []
    day: date | None = None
    day_mention = None
    utc_ends = [c.span[1] for c, _ in clocks if c.zone != "local"]
    for tm in days:
        if any(0 <= tm.span[0] - end <= 4 for end in utc_ends):
            continue  # ("2350 GMT Sunday": the day of that UTC time, not the local day of the launch)
        d = _resolve_day(tm, article_date)
        if d is not None:
            day, day_mention = d, tm
            break
        unresolved.append(Unresolved("time", tm.text, tm.span, "A day the drafter cannot date without the article's date"))
    launch = [(tm, s) for tm, s in clocks if tm.event != "impact"]
    impact = [(tm, s) for tm, s in clocks if tm.event == "impact"]
    for group in _one_launch_each(launch, day or article_date, zone, source_of) or ([launch] if launch else []):
        values, spans, srcs, words = _clock_values(group, day or article_date, zone, unresolved)
        if values:
            s_name, st, src_spans = _joined_sources(srcs, source_of)
            spans_all = tuple(spans) + ((day_mention.span,) if day_mention else ()) + src_spans
            txt = ", ".join(f"{v:%H:%M}" for v in values)
            seen_by = [w for w in words if w in _DETECTION_WORDS]
            what = f" ({', '.join(seen_by)})" if seen_by else ""
            note = ""
            if impact:
                note = ("Only the times said of the launch or its detection; the time it came down is listed as "
                        "the impact time")
            if any(i.kind == "launch_time" for i in out):
                note = "Another source's time of the same launch: a fact of its own beside the map's launch time"
            out.append(DraftItem(new_id("time"), "launch_time", "Launch time", f"{txt} local, {values[0]:%d %b %Y}{what}",
                                 s_name, st, spans_all,
                                 {"values": [v.isoformat() for v in values], "zone": zone, "precision": "minute",
                                  "said_as": ", ".join(seen_by)},
                                 note=note))
    if impact:
        values, spans, srcs, _ = _clock_values(impact, day or article_date, zone, unresolved)
        if values:
            s_name, st, src_spans = _joined_sources(srcs, source_of)
            txt = ", ".join(f"{v:%H:%M}" for v in values)
            out.append(DraftItem(new_id("time"), "impact_time", "Impact time", f"{txt} local, {values[0]:%d %b %Y}",
                                 s_name, st, tuple(spans) + src_spans,
                                 {"values": [v.isoformat() for v in values], "zone": zone, "precision": "minute"},
                                 note="When it came down, not when it was launched: a fact of its own on the map"))
    if any(i.kind == "launch_time" for i in out):
        return out
    if day is not None:
        s = sentence_at(sents, day_mention.span[0])
        s_name, st, src_spans = source_of(s)
        part = f" ({day_mention.part})" if day_mention.part else ""
        out.insert(0, DraftItem(new_id("time"), "launch_time", "Launch day", f"{day:%A} {day.day} {day:%B %Y}{part}",
                                s_name, st, (day_mention.span,) + src_spans,
                                {"values": [datetime(day.year, day.month, day.day).isoformat()], "zone": zone,
                                 "precision": "day", "part": day_mention.part},
                                note="Only the day is given: the map keeps the whole local day"))
    return out


_DETECTION_WORDS = ("detected", "spotted", "picked up", "tracked")


SAME_LAUNCH_MINUTES = 30  # two sources' single launch times this close: one launch, reported twice


def _one_launch_each(launch, d, zone, source_of) -> list[list] | None:
    """The launch clock times by source, where each of two or more sources gives one time and all
    lie within :data:`SAME_LAUNCH_MINUTES`: one launch that each source timed (JCS 07:52, Japan
    07:51), not two. The launching state's own word after the others'. None otherwise (one source,
    or times of several launches)."""
    groups: dict[str, list] = {}
    for tm, s in launch:
        groups.setdefault(source_of(s)[0], []).append((tm, s))
    if len(groups) < 2 or d is None:
        return None
    moments = []
    for group in groups.values():
        values, _spans, _srcs, _words = _clock_values(group, d, zone, [])
        if len(values) != 1:
            return None
        moments.append(values[0])
    if (max(moments) - min(moments)).total_seconds() > SAME_LAUNCH_MINUTES * 60:
        return None
    return sorted(groups.values(), key=lambda g: source_of(g[0][1])[1] == "claimed")


def _clock_values(clocks, d, zone, unresolved):
    """Distinct local moments of clock times on the day ``d``, with their words' spans, the sentences'
    sources and the verbs they were said with ("detected")."""
    values: list[datetime] = []
    spans: list[tuple[int, int]] = []
    srcs: list[tuple] = []
    words: list[str] = []
    seen = set()
    for tm, s in clocks:
        # a UTC time in brackets right after a local one says the same thing again
        if values and tm.zone == "UTC" and spans and 0 <= tm.span[0] - spans[-1][1] < 4:
            spans.append(tm.span)
            continue
        if d is None:
            unresolved.append(Unresolved("time", tm.text, tm.span, "A clock time without a day"))
            continue
        tz = zone if tm.zone == "local" else tm.zone
        try:
            wall = datetime(d.year, d.month, d.day, tm.hour, tm.minute)
            local = _in_zone(wall, tz, zone)
            if tz != zone:  # (a time in another zone on the launch's local day: its own date may be the day before or after)
                local = next((t for t in (_in_zone(wall + timedelta(days=k), tz, zone) for k in (-1, 1))
                              if t.date() == d), local) if local.date() != d else local
        except (OverflowError, ValueError):
            unresolved.append(Unresolved("time", tm.text, tm.span, "A time outside the years 1 to 9999"))
            continue
        if local in seen:
            spans.append(tm.span)  # (the same moment again: its words are evidence too)
            continue
        seen.add(local)
        values.append(local)
        spans.append(tm.span)
        srcs.append(s)
        if tm.event_word and tm.event_word not in words:
            words.append(tm.event_word)
    return values, spans, srcs, words


def _joined_sources(sents_: list, source_of) -> tuple[str, str, tuple[tuple[int, int], ...]]:
    """The sources of the sentences the times came from, each once, in order."""
    names: list[str] = []
    status = ""
    spans: list[tuple[int, int]] = []
    for name, st, sp in (source_of(s) for s in sents_):
        if name not in names:
            names.append(name)
            spans.extend(x for x in sp if x not in spans)
        status = status or st
        if st == "claimed":
            status = "claimed"  # (one of them is the launching state's own word)
    return "; ".join(names), status or "reported", tuple(spans)


def _in_zone(naive: datetime, tz: str, local_zone: str) -> datetime:
    """A wall-clock time given in ``tz``, as wall-clock time in ``local_zone``."""
    from zoneinfo import ZoneInfo
    from datetime import timezone as _tz

    src = _tz.utc if tz == "UTC" else ZoneInfo(tz)
    dst = _tz.utc if local_zone == "UTC" else ZoneInfo(local_zone)
    return naive.replace(tzinfo=src).astimezone(dst).replace(tzinfo=None)


def _resolve_day(tm: X.TimeMention, article_date: date | None) -> date | None:
    try:
        return _day(tm, article_date)
    except (OverflowError, ValueError):  # a weekday before 1 January of year 1, a date after 9999
        return None


def _day(tm: X.TimeMention, article_date: date | None) -> date | None:
    if tm.kind == "date":
        year = tm.year or (article_date.year if article_date else None)
        if year is None:
            return None
        try:
            d = date(year, tm.month, tm.day)
        except (TypeError, ValueError):
            return None
        if tm.year is None and article_date is not None and d > article_date + timedelta(days=7):
            d = date(year - 1, tm.month, tm.day)
        return d
    if article_date is None:
        return None
    if tm.kind == "weekday":
        back = (article_date.weekday() - tm.weekday) % 7
        return article_date - timedelta(days=back)
    if tm.kind == "relative":
        if tm.relative in ("yesterday",):
            return article_date - timedelta(days=1)
        if tm.relative in ("last night", "overnight"):
            return article_date - timedelta(days=1)
        return article_date
    return None
