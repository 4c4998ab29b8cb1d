"""A draft (:class:`Draft`: the article's items and what could not be resolved), and from the
items an analyst kept to a map: the launch event they describe (through
:func:`viewer.model.launch_event.build_launch_event`), or just the places when there is no
launch to draw, with the draft's record (the article and how it was read) in the file."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from viewer.model.draft.items import DraftItem, Unresolved
from viewer.model.launch_event import (
    Attributed,
    Bearing,
    ContextPlace,
    LaunchEventError,
    LaunchEventSpec,
    LaunchSite,
    LaunchTime,
    ReportedValue,
    build_launch_event,
)
from viewer.model.place_index import fold
from viewer.model.scenario import Fact, Scenario

#: Foreign member of a drafted file: the article and how the draft was made (docs/file-format.md).
DRAFT_MEMBER = "sitmap_draft"
#: The article's text is kept in the file up to this length (offsets need it to mean anything).
MAX_STORED_TEXT = 200_000
ARTICLE_SOURCE = "The article"

_COMPASS_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "north-east",
                  "north-west", "south-east", "south-west", "north-northeast", "east-northeast", "east-southeast",
                  "south-southeast", "south-southwest", "west-southwest", "west-northwest", "north-northwest"}


@dataclass
class Draft:
    text: str
    title: str
    article_date: date | None
    date_source: str
    dateline: str
    zone: str
    launching_state: str
    items: list[DraftItem]
    unresolved: list[Unresolved]
    messages: list[str] = field(default_factory=list)

    def item(self, item_id: str) -> DraftItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def set_item(self, item: DraftItem) -> None:
        self.items = [item if i.id == item.id else i for i in self.items]

    def set_distance_role(self, item_id: str, role: str) -> DraftItem:
        """Take a drafted distance as the range, the apogee, a capability or another distance (see
        :data:`~viewer.model.draft.items.DISTANCE_ROLES`); the note that it was not understood goes."""
        it = self.item(item_id)
        if it is None:
            raise KeyError(item_id)
        new = it.as_distance(role)
        if new is not it:
            self.set_item(new)
            self.unresolved = [u for u in self.unresolved if not (u.kind == "number" and u.span in it.spans)]
        return new

    def scenario(self) -> Scenario:
        """The map from the items the user kept (accepted or edited)."""
        return scenario_from_items(self)


# --------------------------------------------------------------------------- items -> map

def spec_from_items(d: Draft) -> LaunchEventSpec | None:
    used = [i for i in d.items if i.used]
    site_item = next((i for i in used if i.kind == "launch_site"), None)
    if site_item is None:
        return None
    sd = site_item.data
    site = LaunchSite(float(sd["lat"]), float(sd["lon"]), site_item.value or "launch site",
                      float(sd.get("uncertainty_m", 0)),
                      f"{site_item.source} (\u201c{sd.get('wording', '')}\u201d)"
                      + (f"; place: {sd['gazetteer']}" if sd.get("gazetteer", "gazetteer") else "")
                      if sd.get("wording") else site_item.source,
                      "estimated", sd.get("wording", ""), site_item.note, site_item.spans,
                      sd.get("source_status", "reported") if sd.get("source_status") in ("reported", "claimed")
                      else "reported")
    t_item = next((i for i in used if i.kind == "launch_time"), None)
    ltime = None
    if t_item is not None and t_item.data.get("values"):
        vals = tuple(datetime.fromisoformat(v) for v in t_item.data["values"])
        ltime = LaunchTime(vals, t_item.data.get("zone", "UTC"), t_item.data.get("precision", "minute"),
                           t_item.source, t_item.status, t_item.spans)
    # reported figures before the launching state's own claims
    order = {"reported": 0, "estimated": 1, "claimed": 2, "derived": 3}

    def rank(i: DraftItem) -> tuple[int, int]:
        # a named source before the article's own words, then in the order of the text
        return order.get(i.status, 9), 1 if i.source == ARTICLE_SOURCE else 0
    ranges: list[ReportedValue] = []
    for r in sorted((i for i in used if i.kind == "range"), key=rank):
        same = next((k for k, x in enumerate(ranges)
                     if abs(x.metres - r.data["metres"]) <= 0.01 * x.metres and x.status == r.status), None)
        if same is not None:
            x = ranges[same]
            if r.source not in x.source:
                ranges[same] = replace(x, source=f"{x.source}; {r.source}", evidence=x.evidence + r.spans)
            continue
        ranges.append(ReportedValue(float(r.data["metres"]), r.source, r.status, r.value, r.spans))
    apo_items = sorted((i for i in used if i.kind == "apogee"), key=rank)
    apogee = (ReportedValue(float(apo_items[0].data["metres"]), apo_items[0].source, apo_items[0].status,
                            apo_items[0].value, apo_items[0].spans) if apo_items else None)
    dirs = [i for i in used if i.kind == "direction" and "degrees" in i.data]
    # a compass word before a sea, the neutral side's words before the launching state's
    dirs.sort(key=lambda i: (0 if i.data.get("word", "") in _COMPASS_WORDS else 1, rank(i)))
    bearing = None
    if dirs:
        b = dirs[0]
        # The bearing's source is whoever gave the words it is read from (as the launch wizard's is):
        # the builder cites it as "<range source> range and <this> direction"; its status says SitMap
        # estimated the degrees, and the Direction fact beside it keeps the words themselves.
        bearing = Bearing(float(b.data["degrees"]), float(b.data["spread"]), float(b.data["spread"]),
                          source=b.source, status="estimated",
                          wording=b.value, wording_source=b.source, wording_status=b.status, evidence=b.spans)
    counts = sorted((i for i in used if i.kind == "count"), key=rank)
    count = Attributed(counts[0].value, counts[0].source, counts[0].status, evidence=counts[0].spans) if counts else None
    systems = []
    seen = set()
    for i in used:
        if i.kind == "system" and (i.value.casefold(), i.source) not in seen:
            seen.add((i.value.casefold(), i.source))
            systems.append(Attributed(i.value, i.source, i.status, i.label, i.spans))
    places = []
    ids = set()
    for i in used:
        if i.kind != "place":
            continue
        pid = re.sub(r"[^a-z0-9]+", "-", fold(i.value)).strip("-")[:60] or "place"
        pid = f"place-{pid}"
        while pid in ids:
            pid += "-2"
        ids.add(pid)
        places.append(ContextPlace(pid, i.value, float(i.data["lat"]), float(i.data["lon"]), i.source, i.status,
                                   "context", i.note, True, i.spans))
    extra: list[Fact] = []
    extra_ev = []
    for i in used:
        if i.kind == "impact_time":
            fid = f"draft-{i.id}"
            extra.append(Fact(fid, "target", i.label, _clock_text(i), i.source, i.status, "impact-area"))
            extra_ev.append((fid, i.spans))
        elif i.kind == "launch_time" and i is not t_item:
            # another source's time of the same launch (times._one_launch_each): the map's times
            # are the first's, this one beside it
            fid = f"draft-{i.id}"
            extra.append(Fact(fid, "launch", "Launch time, as also reported", _clock_text(i), i.source, i.status,
                              "launch-point"))
            extra_ev.append((fid, i.spans))
        elif i.kind in ("statement", "speed", "distance") or (i.kind == "count" and counts and i is not counts[0]):
            fid = f"draft-{i.id}"
            group = {"statement": "statements", "speed": "flight", "distance": "flight", "count": "launch"}[i.kind]
            extra.append(Fact(fid, group, i.label if i.kind != "count" else "Missiles fired, as also reported",
                              i.value, i.source, i.status, "launch-point"))
            extra_ev.append((fid, i.spans))
    # Each further source's apogee and direction, a fact of its own beside the one the map is drawn from
    # (one apogee and one direction draw it; the others were left out of the map before).
    on = "flight-path" if ranges and bearing is not None else "launch-point"
    for kind, label, kept in (("apogee", "Apogee, as also reported", apo_items), ("direction", "Direction, as also reported", dirs)):
        given = {(kept[0].value.casefold(), kept[0].source, kept[0].status)} if kept else set()
        for i in kept[1:]:
            key = (i.value.casefold(), i.source, i.status)
            if key in given or (kind == "direction" and i.source == ARTICLE_SOURCE):
                continue  # (the same words from the same source again; the article's own words for a way)
            given.add(key)
            fid = f"draft-{i.id}"
            extra.append(Fact(fid, "flight", label, i.value[:1].upper() + i.value[1:], i.source, i.status, on))
            extra_ev.append((fid, i.spans))
    title = f"Draft: {d.title}" if d.title else "Draft map from an article"
    sub = f"Drafted from an article{f' of {d.article_date:%d %b %Y}' if d.article_date else ''}; review before use"
    return LaunchEventSpec(title=title[:200], site=site, time=ltime, ranges=tuple(ranges[:8]), apogee=apogee,
                           bearing=bearing if ranges else None, count=count, system=tuple(systems[:6]), subtitle=sub,
                           article=d.title[:300], places=tuple(places[:60]), extra_facts=tuple(extra[:200]),
                           extra_evidence=tuple(extra_ev[:200]))


def _clock_text(i: DraftItem) -> str:
    """A drafted clock time as a fact's value: "06:51 KST, 14 Oct 2025 (21:51 UTC, 13 Oct)". No
    ``time_utc`` on the fact: the map's times are the launch's, and this is not one of them."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    try:
        zone = i.data.get("zone", "UTC")
        tz = timezone.utc if zone == "UTC" else ZoneInfo(zone)
        parts = []
        for raw in i.data.get("values", ())[:12]:
            local = datetime.fromisoformat(raw).replace(tzinfo=tz)
            utc = local.astimezone(timezone.utc)
            abbrev = local.tzname() or zone
            abbrev = f"UTC{abbrev}" if re.fullmatch(r"[+-]\d+", abbrev) else abbrev
            parts.append(f"{local:%H:%M} {abbrev}, {local.day} {local:%b %Y}" + (
                "" if zone == "UTC" else f" ({utc:%H:%M} UTC, {utc.day} {utc:%b})"))
        return "; ".join(parts) or i.value
    except (ValueError, KeyError, OverflowError, TypeError):
        return i.value


def scenario_from_items(d: Draft) -> Scenario:
    spec = spec_from_items(d)
    scenario = None
    if spec is not None:
        try:
            scenario = build_launch_event(spec)
        except LaunchEventError as e:
            # an item the builder refuses (a time past 9999 ...): say so and build without the time
            d.messages.append(f"Left out of the map: {e}")
            try:
                scenario = build_launch_event(replace(spec, time=None))
            except LaunchEventError as e2:
                d.messages.append(f"No launch geometry: {e2}")
    if scenario is None:
        scenario = _places_only(d)
    else:
        _keep_time_words(d, scenario)
    scenario.extra[DRAFT_MEMBER] = draft_record(d)
    return scenario


def _keep_time_words(d: Draft, scenario: Scenario) -> None:
    """"06:42 KST, 14 Oct 2025 (detected)": the launch time's fact says what the time was said of, when
    that was its detection (the first sighting, not necessarily the moment of launch)."""
    t_item = next((i for i in d.items if i.used and i.kind == "launch_time"), None)
    said = (t_item.data.get("said_as") or "") if t_item is not None else ""
    if not said:
        return
    scenario.facts = [replace(f, value=f"{f.value} ({said})") if f.id == "launch-time" and f.value else f
                      for f in scenario.facts]


def _places_only(d: Draft) -> Scenario:
    """No launch place: the places and facts alone, so the user still gets a map to finish."""
    from viewer.model.scenario import Feature

    feats = []
    ev: dict[str, list] = {}
    for i in d.items:
        if i.used and i.kind == "place":
            fid = f"place-{len(feats) + 1}"
            feats.append(Feature(fid, "place", {"type": "Point", "coordinates": [round(i.data["lon"], 6),
                                                                                  round(i.data["lat"], 6)]},
                                 {"kind": "place", "role": "context", "name": i.value, "source": i.source,
                                  "status": i.status}))
            ev[fid] = [list(s) for s in i.spans]
    facts = []
    fev: dict[str, list] = {}
    for i in d.items:
        if i.used and i.kind not in ("place", "launch_site"):
            fid = f"draft-{i.id}"
            facts.append(Fact(fid, "draft", i.label, i.value, i.source, i.status))
            fev[fid] = [list(s) for s in i.spans]
    from viewer.model.launch_event import EVIDENCE_MEMBER

    title = f"Draft: {d.title}" if d.title else "Draft map from an article"
    s = Scenario(title=title[:200], features=feats, facts=facts, subtitle="No launch place found; review before use",
                 groups=[("draft", "Drafted")] if facts else [])
    if ev or fev:
        s.extra[EVIDENCE_MEMBER] = {"facts": fev, "features": ev}
    return s


def draft_record(d: Draft) -> dict:
    rec = {
        "version": 1,
        "article_sha256": hashlib.sha256(d.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "article_chars": len(d.text),
        "article_date": d.article_date.isoformat() if d.article_date else None,
        "dateline": d.dateline,
        "zone": d.zone,
        "items": [{"id": i.id, "kind": i.kind, "label": i.label, "value": i.value, "source": i.source,
                   "status": i.status, "decision": i.decision, "spans": [list(s) for s in i.spans]}
                  for i in d.items],
        "unresolved": [{"kind": u.kind, "text": u.text[:200], "span": list(u.span) if u.span else None, "why": u.why}
                       for u in d.unresolved],
    }
    if len(d.text) <= MAX_STORED_TEXT:
        rec["article_text"] = d.text
    return rec
