"""From what the article says to drafted items.

:func:`draft_text` reads a text and returns a :class:`Draft`: the items (each with its words'
offsets, source and status) and what could not be resolved. After the user accepts, edits or
rejects items, :meth:`Draft.scenario` builds the map from what is left
(:mod:`viewer.model.draft.to_map`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timezone

from viewer.model.draft import extract as X
from viewer.model.draft.items import DraftItem, Unresolved
from viewer.model.draft.times import sentence_at, time_items
from viewer.model.draft.to_map import ARTICLE_SOURCE, Draft
from viewer.model.launch_event import (
    LaunchEventError,
    compass_bearing,
)

#: Places further than this from the launch point are listed but not drawn (they would fill the view).
MAP_RADIUS_M = 3_000_000
# A border town named with its neighbour across the line: a freight train "between Dandong and the
# DPRK" crosses at Sinuiju. (town, country it is in, other side's town, what joins them)
_CROSSINGS = {
    "dandong": ("Sinuiju", "KP", "the Sino-Korean Friendship Bridge over the Yalu"),
    "sinuiju": ("Dandong", "CN", "the Sino-Korean Friendship Bridge over the Yalu"),
    "hunchun": ("Rason", "KP", "the Quanhe-Wonjong bridge"),
    "tumen": ("Namyang", "KP", "the Tumen-Namyang rail bridge"),
    "ji'an": ("Manpo", "KP", "the Ji'an-Manpo bridge"),
}
_COUNTRY_WORDS = {"KP": r"North Korea|DPRK|the North\b|Pyongyang", "CN": r"China|Chinese", "KR": r"South Korea"}


# --------------------------------------------------------------------------- drafting

def draft_text(text: str, *, article_date: date | None = None, title: str = "", published: str = "",
               index=None, zone_finder=None) -> Draft:
    from viewer.model.place_index import place_index

    ix = index if index is not None else place_index()
    items: list[DraftItem] = []
    unresolved: list[Unresolved] = []
    messages: list[str] = []

    sents = X.sentences(text)
    X.attribute(sents, text)
    for s in sents:
        s.launch = bool(re.search(X.L.LAUNCH_VERBS_RE, s.text, re.I))

    # the article's date and dateline
    dl = X.dateline(text)
    dateline_name = dl[0] if dl and ix.lookup(dl[0]) else ""
    # (the dateline's date is the story's, not the launch's: "SEOUL, June 10 - ... fired on Monday")
    after_dateline = X.dateline_end(text) if dl else 0
    date_source = "given"
    if article_date is None:
        found = X.article_date_in(text, published)
        if found:
            article_date, _, date_source = found
        else:
            date_source = ""
            unresolved.append(Unresolved("date", "", None,
                                         "The article gives no date of its own: weekdays cannot be turned into "
                                         "dates (give the date with --date or in the dialog)."))

    # places
    mentions, missing = _places(sents, text, ix)
    launch_mention = _launch_place(sents, mentions)
    # a position the article writes out: where it was launched (more precise than a place's name),
    # or where it came down (listed: not drawn)
    launch_coords = None
    for s in sents:
        for cm in X.coordinates(s):
            if cm.landed or not s.launch:
                unresolved.append(Unresolved("place", cm.wording, cm.span,
                                             "A position the article gives of where it came down (or of another "
                                             "place): not drawn; add it on the map"))
            elif launch_coords is None:
                launch_coords = cm
    launching_state = ""
    if launch_mention is not None and launch_mention.candidates:
        launching_state = launch_mention.candidates[0].country
    if not launching_state and re.search(r"North Korea|DPRK|Pyongyang", text[:5000]):
        launching_state = "KP"

    def status_for(cc: str) -> str:
        return "claimed" if cc and cc == launching_state else "reported"

    doc_source = _document_source(text)

    def source_of(s: X.Sentence) -> tuple[str, str, tuple[tuple[int, int], ...]]:
        if s.source:
            return s.source, status_for(s.source_country), ((s.source_span,) if s.source_span else ())
        if doc_source is not None:
            return doc_source[0], status_for(doc_source[1]), (doc_source[2],)
        return ARTICLE_SOURCE, "reported", ()

    # the zone of the launch place (or the dateline's) for days and clock times
    zone = "UTC"
    finder = zone_finder or _zone_at
    if launch_coords is not None:
        zone = finder(launch_coords.lat, launch_coords.lon) or "UTC"
    elif launch_mention is not None:
        c = launch_mention.candidates[0]
        zone = finder(c.lat, c.lon) or "UTC"
    elif dateline_name:
        cands = ix.lookup(dateline_name)
        if cands:
            zone = finder(cands[0].lat, cands[0].lon) or "UTC"

    # A page's publication moment with its UTC offset (a New York evening is the next morning in
    # Korea): its date where the launch was, which weekdays count from.
    if date_source == "the page's publication date":
        moment = X.published_moment(published)
        if moment is not None:
            from zoneinfo import ZoneInfo

            try:
                article_date = moment.astimezone(timezone.utc if zone == "UTC" else ZoneInfo(zone)).date()
            except (ValueError, KeyError, OverflowError):
                pass

    n = 0

    def new_id(kind: str) -> str:
        nonlocal n
        n += 1
        return f"{kind}-{n}"

    # launch site
    if launch_coords is not None:
        cm = launch_coords
        s = sentence_at(sents, cm.span[0])
        src, st, src_spans = source_of(s)
        from viewer.model.coords import format_dd

        near = launch_mention.candidates[0].name if launch_mention is not None else ""
        items.append(DraftItem(new_id("site"), "launch_site", "Launch site", near or format_dd(cm.lat, cm.lon, 4), src,
                               "estimated", (cm.span,) + src_spans,
                               {"lat": cm.lat, "lon": cm.lon, "uncertainty_m": cm.uncertainty_m, "wording": cm.wording,
                                "gazetteer": "", "kind": "coordinates", "source_status": st},
                               tuple(launch_mention.candidates) if launch_mention is not None else (),
                               note=f"the article's own coordinates; \u00b1 {cm.uncertainty_m / 1000:,.1f} km as "
                                    f"precisely as they are written"))
    elif launch_mention is not None:
        c = launch_mention.candidates[0]
        s = sentence_at(sents, launch_mention.span[0])
        src, st, src_spans = source_of(s)
        unc = max(c.uncertainty_m, launch_mention.wording_uncertainty_m)
        wording = launch_mention.wording or f"from {launch_mention.name}"
        items.append(DraftItem(new_id("site"), "launch_site", "Launch site", c.name, src, "estimated",
                               (launch_mention.span,) + src_spans,
                               {"lat": c.lat, "lon": c.lon, "uncertainty_m": unc, "wording": wording,
                                "gazetteer": c.source, "kind": c.kind, "source_status": st},
                               tuple(launch_mention.candidates[1:]),
                               note=f"{c.kind.replace('_', ' ')} from {c.source}; \u00b1 {unc / 1000:,.0f} km from "
                                    f"the wording"))
    else:
        unresolved.append(Unresolved("launch_site", "", None,
                                     "No launch place found in the sentences about the launch: pick it on the map "
                                     "or type it."))

    # per sentence: numbers, counts, systems, times, directions, quotes
    launch_days: list[X.TimeMention] = []
    dateline_days: list[X.TimeMention] = []  # (the launch's day only where the story gives none of its own)
    launch_clocks: list[tuple[X.TimeMention, X.Sentence]] = []
    for s in sents:
        src, st, src_spans = source_of(s)
        first = len(items)
        for q in X.quantities(s):
            if q.kind == "capability":
                items.append(DraftItem(new_id("range"), "range", "Possible range (capability)", _nice(q.wording), src,
                                       st, (q.span,) + src_spans, {"metres": q.metres, "capability": True},
                                       decision="rejected",
                                       note="What the missile could reach, not the distance it flew: accept it for a "
                                            "capability ring"))
            elif q.kind in ("range", "apogee"):
                label = "Range flown" if q.kind == "range" else "Apogee"
                items.append(DraftItem(new_id(q.kind), q.kind, label, _nice(q.wording), src, st,
                                       (q.span,) + src_spans, {"metres": q.metres}))
            else:
                items.append(DraftItem(new_id("distance"), "distance", "Distance mentioned", _nice(q.wording), src, st,
                                       (q.span,) + src_spans, {"metres": q.metres}, decision="rejected",
                                       note="Not a range or an altitude as far as the drafter can tell"))
                unresolved.append(Unresolved("number", q.wording, q.span,
                                             "A distance that is neither the range nor the altitude "
                                             "(an offset from a place?)"))
        for v, wording, span in X.speeds(s):
            items.append(DraftItem(new_id("speed"), "speed", "Speed", f"Mach {v:g}", src, st, (span,) + src_spans,
                                   {"mach": v}))
        if s.launch or s.source:
            for c in X.counts(s):
                word = _count_word(c.n)
                items.append(DraftItem(new_id("count"), "count", "Missiles fired", word, src, st, (c.span,) + src_spans,
                                       {"n": c.n, "what": c.what}))
            for value, span in X.systems(s):
                items.append(DraftItem(new_id("system"), "system", "Type" + (f", per {src.split(' (')[0]}" if src != ARTICLE_SOURCE else ""),
                                       value[:1].upper() + value[1:] if not value[0] in "\u201c\"" else value,
                                       src, st, (span,) + src_spans))
        found_times = X.times(s)
        # "The JCS said the missile was detected at 6:42 a.m.": a time said of the launch or its
        # detection counts even without a launch verb in the sentence; one said of the landing
        # ("came down at 6:51") is kept apart, never taken for a launch time
        timed = s.launch or any(tm.kind == "clock" and tm.event for tm in found_times)
        for tm in found_times:
            if tm.said or not timed:
                continue
            if tm.kind in ("weekday", "date", "relative"):
                (launch_days if tm.span[0] >= after_dateline else dateline_days).append(tm)
            elif tm.kind == "clock" and (s.launch or tm.event):
                launch_clocks.append((tm, s))
        if s.launch:
            for word, wording, span in X.directions(s):
                items.append(_direction_item(new_id("direction"), word, wording, span, src, st, src_spans,
                                             launch_mention, ix))
        if _OTHER_LAUNCHES_RE.search(s.text):
            # "a string of weapons tests, including of hypersonic missiles": about other launches
            for k in range(first, len(items)):
                if items[k].kind in ("count", "system", "range", "apogee", "speed", "direction") and items[k].used:
                    items[k] = replace(items[k], decision="rejected",
                                       note="This sentence seems to be about other launches; accept it if not")
        if s.source:
            for inner, span in X.quotes(s):
                if X.is_system_phrase(inner):
                    continue  # a quoted type name is already a "Type" item
                items.append(DraftItem(new_id("statement"), "statement", "Statement",
                                       f"\u201c{_clip(inner, 300)}\u201d", src, st, (span,) + src_spans))

    # times
    items.extend(time_items(new_id, launch_days or dateline_days, launch_clocks, sents, article_date, zone, source_of,
                             unresolved))

    # places other than the launch site
    launch_pt = items[0].data if items and items[0].kind == "launch_site" else None
    seen_places: set[str] = set()
    place_rows: dict[str, int] = {}
    extra_spans: dict[int, list[tuple[int, int]]] = {}
    for pm in mentions:
        if pm is launch_mention or not pm.candidates:
            continue
        c = pm.candidates[0]
        key = f"{c.kind}:{c.name}"
        if launch_mention is not None and c.name == launch_mention.candidates[0].name:
            continue
        if key in seen_places:
            # later mentions of the same place add their words to its evidence
            k = place_rows.get(key)
            if k is not None:
                extra_spans.setdefault(k, []).append(pm.span)
            continue
        seen_places.add(key)
        place_rows[key] = len(items)
        s = sentence_at(sents, pm.span[0])
        unc = max(c.uncertainty_m, pm.wording_uncertainty_m)
        far = launch_pt is not None and _dist(launch_pt["lat"], launch_pt["lon"], c.lat, c.lon) > MAP_RADIUS_M
        drawn = c.kind in ("city", "launch_site") and not far
        note = "" if drawn else ("Countries and seas are listed, not drawn" if c.kind in ("country", "sea", "admin1")
                                 else "More than 3,000 km from the launch point")
        items.append(DraftItem(new_id("place"), "place", "Place", c.name, c.source, "reported", (pm.span,),
                               {"lat": c.lat, "lon": c.lon, "uncertainty_m": unc, "kind": c.kind, "key": key,
                                "country": c.country}, tuple(pm.candidates[1:]),
                               "accepted" if drawn else "rejected", note))
        crossing = _CROSSINGS.get(_fold(c.name))
        if crossing and c.kind == "city":
            other, other_cc, what = crossing
            if re.search(_COUNTRY_WORDS.get(other_cc, "$^"), s.text) and other.lower() not in text.lower():
                oc = ix.lookup(other)
                if oc:
                    o = oc[0]
                    items.append(DraftItem(new_id("place"), "place", "Place (inferred)", o.name,
                                           f"{o.source}; inferred: the other end of the crossing at {c.name}",
                                           "estimated", (pm.span,),
                                           {"lat": o.lat, "lon": o.lon, "uncertainty_m": o.uncertainty_m,
                                            "kind": o.kind, "key": f"{o.kind}:{o.name}", "country": o.country},
                                           note=f"Not named in the article: it names {c.name} and the other country; "
                                                f"{o.name} is the other end of {what}."))
                    seen_places.add(f"{o.kind}:{o.name}")

    for k, spans in extra_spans.items():
        items[k] = replace(items[k], spans=items[k].spans + tuple(spans[:50]))
    for name, span in missing[:50]:
        similar = tuple(ix.similar(name)) if hasattr(ix, "similar") else ()
        why = "Not in the offline gazetteer: place it on the map"
        if similar:
            why += "; similar names: " + ", ".join(f"{c.name} ({c.country})" for c in similar)
        unresolved.append(Unresolved("place", name, span, why, similar))

    draft_title = title or _headline(text)
    d = Draft(text, draft_title, article_date, date_source, dateline_name, zone, launching_state,
              _dedupe_items(items), unresolved, messages)
    return d


# --------------------------------------------------------------------------- pieces

_OTHER_LAUNCHES_RE = re.compile(r"\b(?:a (?:string|series|flurry|spate|barrage|record number) of|previous(?:ly)?|"
                                r"last (?:year|month)|in (?:19|20)\d\d\b|so far this year|earlier this (?:year|month))",
                                re.I)
_LOCATIVE_RE = re.compile(r"\b(?:in|near|from|at|around|off|over|toward|towards)\s+(?:the\s+|an?\s+area\s+(?:around|near)\s+)?$")
_DOC_SOURCE_RE = re.compile(r"^\s*(?:Announcement|Statement|Press release|Notice|Briefing)\s+(?:by|from|of)\s+"
                            r"(?:the\s+)?(?P<src>[^\n]{3,100})$", re.I | re.M)


def _document_source(text: str):
    """An official statement says whose it is at the top ("Announcement by the Joint Chiefs of Staff")."""
    m = _DOC_SOURCE_RE.search(text[:400])
    if not m:
        return None
    from viewer.model.draft.lexicon import source_of

    name, cc = source_of(m.group("src"))
    return name, cc, m.span("src")


def _places(sents: list[X.Sentence], text: str, ix) -> list[X.PlaceMention]:
    from viewer.model.draft.lexicon import COMMON_WORDS, NOT_PLACES, ORG_WORDS, TITLE_WORDS

    cache: dict[str, list] = {}
    out: list[X.PlaceMention] = []
    missing: list[tuple[str, tuple[int, int]]] = []

    def look(name: str) -> list:
        if name not in cache:
            cache[name] = ix.lookup(name) if len(name) <= 60 else []
        return cache[name]

    for s in sents:
        for phrase, a, b in X.place_phrases(s):
            if ORG_WORDS.search(phrase):
                continue
            toks = X.tokens_of(phrase, a)
            found_any = False
            i = 0
            while i < len(toks):
                hit = None
                for j in range(min(len(toks), i + X._MAX_NGRAM), i, -1):
                    name = s.text[toks[i][1]:toks[j - 1][2]]
                    low = name.lower()
                    if j - i == 1 and (low in NOT_PLACES or low in COMMON_WORDS or len(low) < 4):
                        continue
                    if low.startswith("the "):
                        continue
                    cands = look(name)
                    if not cands:
                        continue
                    country = _country_after(s.text, toks[j - 1][2], look)
                    named = [c for c in cands if country and c.country == country and c.kind != "country"]
                    # ("Suva, Fiji": the country named after it picks its namesake there, however small)
                    cands = named or _plausible(cands, s.text, toks[i][1], toks[j - 1][2], j - i)
                    if cands:
                        hit = (j, name, cands)
                        break
                if hit is None:
                    i += 1
                    continue
                j, name, cands = hit
                start, end = s.start + toks[i][1], s.start + toks[j - 1][2]
                if TITLE_WORDS.search(s.text[max(0, toks[i][1] - 30):toks[i][1]]) and cands[0].kind == "city":
                    i = j
                    continue
                wording, metres = X.wording_around(text, start, end)
                pm = X.PlaceMention(name, (start, end), list(cands), wording, metres)
                pm.after_from = bool(re.search(r"\bfrom\b[^.,;]{0,40}$", text[max(s.start, start - 45):start]))
                out.append(pm)
                found_any = True
                i = j
            if not found_any and _LOCATIVE_RE.search(s.text[max(0, a - 30):a]) and phrase.lower() not in NOT_PLACES \
                    and len(phrase) <= 60:
                missing.append((phrase, (s.start + a, s.start + b)))
    # "Taechon, North Pyongan Province": the division narrows the place before it
    for k, pm in enumerate(out[:-1]):
        nxt = out[k + 1]
        if nxt.candidates and nxt.candidates[0].kind == "admin1" and re.fullmatch(r",\s*", text[pm.span[1]:nxt.span[0]]):
            adm = nxt.candidates[0]
            near = [c for c in pm.candidates if _dist(c.lat, c.lon, adm.lat, adm.lon) < 250_000]
            if near:
                pm.candidates = near + [c for c in pm.candidates if c not in near]
                pm.admin_after = adm
    return out, missing


_COUNTRY_AFTER = re.compile(r",\s*((?:[A-Z][\w.-]*)(?:\s+[A-Z][\w.-]*){0,3})")
_NOT_WHERE = re.compile(r"(?:['\u2019]s\b|\s+(?:said|says|told|reported|announced|added|stated|warned)\b)")


def _country_after(sentence: str, end: int, look) -> str:
    """The code of a country named right after a place ("Suva, Fiji" -> "FJ"), else "". Not one
    that begins the next clause ("from Sinpo, South Korea's military said")."""
    m = _COUNTRY_AFTER.match(sentence, end)
    if not m:
        return ""
    words = m.group(1).split()
    for k in range(len(words), 0, -1):  # (the longest name first: "Papua New Guinea")
        name = " ".join(words[:k]).rstrip(".")
        after = sentence.find(name, m.start(1)) + len(name)
        if _NOT_WHERE.match(sentence, after):
            continue
        found = [c for c in look(name) if c.kind == "country"]
        if found:
            return found[0].country
    return ""


def _plausible(cands: list, sentence: str, a: int, b: int, words: int) -> list:
    """Leave out small foreign towns that happen to share a word with the text."""
    out = []
    before = sentence[max(0, a - 25):a].lower()
    locative = bool(re.search(r"\b(?:in|near|from|at|to|toward|towards|of|around|off|over|into)\s+(?:the\s+)?$", before))
    for c in cands:
        if c.kind == "city":
            regional = c.country in ("KP", "KR", "JP", "CN", "RU", "US", "TW", "GU")
            if not (c.population >= 100_000 or (regional and (locative or c.population >= 15_000))):
                continue
        out.append(c)
    return out


def _launch_place(sents: list[X.Sentence], mentions: list[X.PlaceMention]) -> X.PlaceMention | None:
    best, best_score = None, -1
    for pm in mentions:
        if not pm.candidates or pm.candidates[0].kind in ("country", "sea"):
            continue
        s = sentence_at(sents, pm.span[0])
        if not s.launch:
            continue
        score = (4 if pm.after_from else 0) + (2 if pm.wording else 0) + (1 if pm.candidates[0].kind == "launch_site" else 0)
        if pm.admin_after is not None:
            score += 1
        if score > best_score:
            best, best_score = pm, score
    if best is not None and best_score >= 2:
        return best
    # an admin division alone ("from South Pyongan Province") after "from"
    return best if best is not None and best.after_from else None


def _direction_item(iid, word, wording, span, src, st, src_spans, launch_mention, ix) -> DraftItem:
    if word.startswith("sea:"):
        sea = word[4:]
        cands = [c for c in ix.lookup(sea) if c.kind == "sea"]
        if cands and launch_mention is not None:
            c0 = launch_mention.candidates[0]
            from viewer.model.geodesy import distance_bearing

            brg = distance_bearing(c0.lat, c0.lon, cands[0].lat, cands[0].lon)[1]
            return DraftItem(iid, "direction", "Direction", wording, src, st, (span,) + src_spans,
                             {"degrees": round(brg, 1), "spread": 30.0, "word": sea},
                             note=f"Bearing toward the centre of the {cands[0].name}, \u00b1 30\u00b0")
        return DraftItem(iid, "direction", "Direction", wording, src, st, (span,) + src_spans, {}, decision="rejected",
                         note="A sea the drafter cannot place")
    try:
        deg, spread = compass_bearing(word)
    except LaunchEventError:
        return DraftItem(iid, "direction", "Direction", wording, src, st, (span,) + src_spans, {}, decision="rejected")
    return DraftItem(iid, "direction", "Direction", wording, src, st, (span,) + src_spans,
                     {"degrees": deg, "spread": spread, "word": word},
                     note=f"{word}: {deg:g}\u00b0 \u00b1 {spread:g}\u00b0")


def _dedupe_items(items: list[DraftItem]) -> list[DraftItem]:
    """The same value from the same source twice (a headline and the body) is one item with both places."""
    out: list[DraftItem] = []
    for it in items:
        twin = next((o for o in out if o.kind == it.kind and o.source == it.source and o.kind != "place"
                     and _same_value(o, it)), None)
        if twin is not None:
            out[out.index(twin)] = replace(twin, spans=twin.spans + tuple(s for s in it.spans if s not in twin.spans))
            continue
        out.append(it)
    return out


def _same_value(a: DraftItem, b: DraftItem) -> bool:
    if "metres" in a.data and "metres" in b.data:
        return abs(a.data["metres"] - b.data["metres"]) <= 0.01 * max(a.data["metres"], 1)
    if "n" in a.data and "n" in b.data:
        return a.data["n"] == b.data["n"]
    return _fold(a.value) == _fold(b.value)


def _fold(s: str) -> str:
    return re.sub(r"[\W_]+", " ", s.casefold()).strip()


def _nice(wording: str) -> str:
    w = wording.strip()
    return w[:1].upper() + w[1:]


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "\u2026"


def _count_word(n: int) -> str:
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine",
             10: "Ten", 12: "Twelve"}
    return words.get(n, str(n))


def _headline(text: str) -> str:
    """The first line, as a title ("" for an empty text), without a dateline it begins with; a long
    first line is cut at a word."""
    for line in text.split("\n"):
        line = X.without_dateline(line.strip())
        if len(line) >= 8:
            return line if len(line) <= 160 else line[:120].rsplit(" ", 1)[0] + "\u2026"
    return ""


def _dist(lat1, lon1, lat2, lon2) -> float:
    from viewer.model.geodesy import distance_bearing

    return distance_bearing(lat1, lon1, lat2, lon2)[0]


_tzf = None


def _zone_at(lat: float, lon: float) -> str | None:
    """IANA time zone at a point, offline (timezonefinder); None at sea or when it is missing."""
    global _tzf
    try:
        if _tzf is None:
            from timezonefinder import TimezoneFinder

            _tzf = TimezoneFinder()
        return _tzf.timezone_at(lat=lat, lng=lon) or _tzf.certain_timezone_at(lat=lat, lng=lon)
    except Exception:  # noqa: BLE001 - a missing or broken zone table must not stop drafting
        return None
