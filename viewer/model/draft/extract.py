"""Reading an article: sentences, who said what, numbers, times, places and directions.

Plain regular expressions over the text, sentence by sentence; every finding keeps the character
offsets of the words it came from. Nothing here decides what goes on the map (see assemble.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from viewer.model.draft import lexicon as L

# --------------------------------------------------------------------------- sentences

_ABBREV = {"u.s", "u.k", "u.n", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec", "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "no", "vs", "etc", "a.m", "p.m",
           "inc", "corp", "co", "approx", "rep", "sen", "gov", "prof", "adm", "capt", "maj", "d.c"}
_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u2013\u2014-])|\n\s*\n|\n(?=\s*[-\u2013\u2014\u2022*])")
_MAX_SENTENCE = 2000
# "detected at 6:42 a.m. It flew ...": after a.m./p.m. these words start a new sentence ("6 a.m. Tuesday",
# "7 a.m. Japan time" do not)
_STARTER_AFTER_TIME_RE = re.compile(r"\s+[\"\u201c]?(?:It|They|He|She|We|The|A|An|This|That|These|Those|Its|Their|"
                                    r"There|After|According|Officials|But|However|Meanwhile)\b")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    source: str = ""
    source_country: str = ""
    source_span: tuple[int, int] | None = None
    launch: bool = False  # talks about the launch itself (a launch verb)


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _END_RE.finditer(text):
        end = m.end()
        if m.group(0)[0] == ".":
            word = re.search(r"([\w.]+)\.[\"'\u201d\u2019)\]]*$", text[max(start, end - 12):end])
            if word and (word.group(1).lower() in _ABBREV or re.fullmatch(r"[A-Z]", word.group(1))) and not (
                    word.group(1).lower() in ("a.m", "p.m") and _STARTER_AFTER_TIME_RE.match(text, end)):
                continue
        _add(out, text, start, end)
        start = end
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # very long runs without a full stop (tables, lists, junk) are cut into pieces
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start, start + _MAX_SENTENCE)
        cut = cut if cut > start else start + _MAX_SENTENCE
        out.append(Sentence(start, cut, text[start:cut]))
        start = cut
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


# --------------------------------------------------------------------------- attribution

_SAY = L.SAY_VERBS_RE + r"|called on|urged|expressed|quoted"
_SAY_RE = re.compile(rf"\b(?:{_SAY})\b")
_BOUNDARY_RE = re.compile(r"[,;:\u201c\u201d\"\u2013\u2014]|\b(?:that|while|as|but|after|when|because)\b")
_PRONOUNS = {"it", "he", "she", "they", "the agency", "the military", "the ministry", "officials", "the official",
             "the statement", "the report", "the newspaper", "the office", "the country"}
_CONTINUES_RE = re.compile(r"(?:It|They|The (?:missiles?|rockets?|launch(?:es)?|projectiles?|weapons?))\b")
# "A second missile ...", "The third ..." go on with the source of the sentences before, even in a new paragraph
_NEXT_MISSILE_RE = re.compile(r"(?:An?|The) (?:first|second|third|fourth|fifth|other|last|latter|former)\b")
_ACCORDING_RE = re.compile(r"\baccording to\s+(?P<src>[^,.;:\u201c\u201d\"]{2,100}?)(?=[,.;:\u201c\u201d\"]|\s+(?:that|which|on|in)\b|$)")
_INVERTED_RE = re.compile(rf"\b(?:{L.SAY_VERBS_RE})\s+(?P<src>(?:[A-Z][\w\u2019'.-]*\s*){{1,5}}(?:,?\s*(?:of|at|from)\s+(?:the\s+)?[A-Z][^,.;]{{2,80}})?)")
_WITH_RE = re.compile(r"\bwith\s+(?P<src>(?:[A-Z][\w\u2019'.-]*\s+){1,6})(?:warning|saying|noting|adding|telling)\b")
_OFFICE_RE = re.compile(r"\b(?:Foreign|Defen[cs]e|Prime|Unification)\s+Minister|spokes(?:man|woman|person)|"
                        r"Secretary|Ambassador|envoy|representative|analyst|expert|professor|officials?")


def attribute(sentences_: list[Sentence], text: str) -> None:
    """Give each sentence the source that said it (or leave it empty: the article's own words)."""
    last_src, last_cc = "", ""
    prev: Sentence | None = None
    for s in sentences_:
        found = _attribution(s)
        if found is None:
            # "It flew 600 km ..." right after "... the JCS said." goes on with the same source
            if prev is not None and prev.source and (_NEXT_MISSILE_RE.match(s.text) or (
                    _CONTINUES_RE.match(s.text) and "\n\n" not in text[prev.end:s.start])):
                s.source, s.source_country, s.source_span = prev.source, prev.source_country, prev.source_span
            prev = s
            continue
        prev = s
        phrase, a, b = found
        low = phrase.lower().strip()
        if low in _PRONOUNS:
            if last_src:
                s.source, s.source_country, s.source_span = last_src, last_cc, (s.start + a, s.start + b)
            continue
        name, cc = L.source_of(phrase)
        s.source, s.source_country, s.source_span = name, cc, (s.start + a, s.start + b)
        last_src, last_cc = name, cc


def _attribution(s: Sentence) -> tuple[str, int, int] | None:
    t = s.text
    m = _ACCORDING_RE.search(t)
    if m:
        return m.group("src").strip(), m.start("src"), m.end("src")
    m = _WITH_RE.search(t)
    if m:
        src = m.group("src").strip()
        return src, m.start("src"), m.start("src") + len(src)
    verbs = list(_SAY_RE.finditer(t))
    if len(verbs) > 1 and len(t) - verbs[-1].end() < 60:
        verbs = verbs[::-1]  # "..., he added." at the end is the sentence's own attribution
    for v in verbs:
        before = t[max(0, v.start() - 160):v.start()]
        base = v.start() - len(before)
        cut = 0
        for b in _BOUNDARY_RE.finditer(before):
            cut = b.end()
        raw_phrase = before[cut:]
        phrase = raw_phrase.strip()
        phrase = re.sub(r"^(?:[a-z]\w*\s+)+(?=[A-Z])", "", phrase) if not _OFFICE_RE.search(phrase) else phrase
        phrase = re.sub(r"\s+(?:also|earlier|later|separately|previously|has|have|had|was|were|on|"
                        r"officially|publicly|then|further|recently|quickly|both)(?:\s+(?:also|earlier|later|has|had))?$",
                        "", phrase)
        words = phrase.split()
        if not words or len(words) > 10:
            # a quote then "said X": the speaker comes after the verb
            m2 = _INVERTED_RE.match(t, v.start())
            if m2 and not words:
                src = m2.group("src").strip().rstrip(",")
                return src, m2.start("src"), m2.start("src") + len(src)
            continue
        if phrase.lower() in _PRONOUNS or re.search(r"[A-Z]", phrase) or _OFFICE_RE.search(phrase):
            a = base + cut + raw_phrase.find(phrase)
            return phrase, a, a + len(phrase)
    return None


# --------------------------------------------------------------------------- numbers

# A figure as articles write it: "1,001.5", "1 001" (thousands set apart by a space, as much of the
# world writes them; then its comma, if any, is the decimal one: "1 001,5"), "1,5" (a decimal comma:
# never three digits after it), "600", "0.5"; never the tail of another number.
_GAP = "[ \u00a0\u202f\u2009]"
_NUM = (rf"(?<![\d.,])(?:\d{{1,3}}(?:{_GAP}\d{{3}})+(?:[.,]\d+)?(?![\d])|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"
        r"|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?)")
_QTY = rf"(?:(?:{L.APPROX_RE})\s+)?(?:{_NUM})(?:\s|-)?(?:{L.UNITS_RE})\b"
_QTY_RE = re.compile(rf"(?:(?P<approx>{L.APPROX_RE})\s+)?(?P<num>{_NUM})(?:\s|-)?(?P<unit>{L.UNITS_RE})\b(?!-?\w)", re.I)
_CONVERSION_RE = re.compile(rf"\s*(?:[(\[]\s*(?:or\s+|about\s+|around\s+|some\s+|approximately\s+|roughly\s+|nearly\s+)?"
                            rf"(?P<q1>{_QTY})\s*[)\]]|,?\s+or\s+(?P<q2>{_QTY}))", re.I)
_SPEED_AFTER = re.compile(r"\s*(?:/\s*(?:h|hr|hour|s|sec|second|min|minute)\b|(?:per|an|a|each)\s+"
                          r"(?:hour|second|minute)\b)", re.I)
_APOGEE_WORDS = re.compile(r"altitude|apogee|height|high\b|peak|climb|ceiling|soared", re.I)
_RANGE_WORDS = re.compile(r"\bfl(?:ew|ying|own|y|ight)\b|travel|range|distance|cover(?:ed|ing)|went|reach(?:ed|ing)? a distance|"
                          r"\bsen(?:t|ding|ds)\s+(?:it|them|the\s+(?:missiles?|rockets?|projectiles?|weapons?))\b", re.I)
# "about 600 km toward the East Sea", "600 km into the Sea of Japan": how far it went that way
_TOWARD_SEA_AFTER = re.compile(r"\s*,?\s*(?:toward|towards|into|over|across)\s+(?:the\s+)?(?:waters?\s+(?:off|of)\s+)?"
                               r"(?:[A-Z][\w\u2019'-]*\s+)*(?:Sea|Ocean|Pacific|Strait|Bay|sea|ocean|waters)\b")
_OFFSET_AFTER = re.compile(r"\s*(?:\w+\s+){0,1}(?:off|away|from|beyond|inside|outside|short of|(?:north|south|east|west|"
                           r"northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)"
                           r"(?:ern)?\s+(?:of|from))\b", re.I)
_CAPABILITY_BEFORE = re.compile(r"\b(?:could|capable|capability|potential|would|might|can reach|theoretical|"
                                r"designed|enough to reach|normal trajectory)\b[^.;]*$", re.I)
_MACH_RE = re.compile(r"\bMach\s*(?P<n>\d+(?:\.\d+)?)|(?P<m>\d+(?:\.\d+)?|five|six|seven|eight|nine|ten|twenty)\s+"
                      r"times the speed of sound", re.I)


@dataclass
class Quantity:
    kind: str  # range, apogee, distance
    metres: float
    wording: str
    span: tuple[int, int]
    approx: str = ""


def quantities(s: Sentence) -> list[Quantity]:
    t = s.text
    out: list[Quantity] = []
    pos = 0
    while True:
        m = _QTY_RE.search(t, pos)
        if not m:
            break
        speed = _SPEED_AFTER.match(t, m.end())
        if speed:  # (6,000 km/h, 5,000 kilometres per hour: a speed, no distance)
            pos = speed.end()
            continue
        metres = _metres(m.group("num"), m.group("unit"))
        end = m.end()
        unit = m.group("unit").lower()
        conv = _CONVERSION_RE.match(t, end)
        if conv:
            q = conv.group("q1") or conv.group("q2")
            m2 = _QTY_RE.search(q)
            if m2 and unit not in L.METRIC and m2.group("unit").lower() in L.METRIC:
                metres = _metres(m2.group("num"), m2.group("unit"))  # the metric figure is the original
            end = conv.end()
        pos = end
        if metres is None or metres <= 0:
            continue
        kind = _classify(t, m.start(), end)
        wording = re.sub(r"\s+", " ", t[m.start():end]).strip()
        out.append(Quantity(kind, metres, wording, (s.start + m.start(), s.start + end), m.group("approx") or ""))
    return out


def _metres(num: str, unit: str) -> float | None:
    """A figure (:data:`_NUM`) in metres."""
    grouped = re.search(_GAP, num) is not None
    num = re.sub(_GAP, "", num)
    decimal_comma = grouped or re.fullmatch(r"\d+,\d{1,2}", num) is not None
    try:
        v = float(num.replace(",", ".") if decimal_comma else num.replace(",", ""))
    except ValueError:
        return None
    return v * L.UNITS[unit.lower()]


def _classify(t: str, start: int, end: int) -> str:
    if _OFFSET_AFTER.match(t, end):
        return "distance"
    before = t[max(0, start - 70):start]
    if _CAPABILITY_BEFORE.search(before):
        return "capability"
    cut = max(before.rfind(";"), before.rfind(" and "), before.rfind(", while"))
    before = before[cut + 1:] if cut >= 0 else before
    after = t[end:end + 40]
    best, best_d = "distance", 10**9
    for rx, kind in ((_APOGEE_WORDS, "apogee"), (_RANGE_WORDS, "range")):
        for m in rx.finditer(before):
            d = len(before) - m.end()
            if d < best_d:
                best, best_d = kind, d
        m = rx.search(after)
        if m and m.start() + 5 < best_d:
            # "42 km high", "380 km range": only very close words after the number count
            if m.start() <= 12:
                best, best_d = kind, m.start() + 5
    if best == "distance" and _TOWARD_SEA_AFTER.match(t, end):
        return "range"
    return best


def speeds(s: Sentence) -> list[tuple[float, str, tuple[int, int]]]:
    out = []
    for m in _MACH_RE.finditer(s.text):
        raw = m.group("n") or m.group("m")
        v = float(raw) if raw[0].isdigit() else float(L.NUMBER_WORDS.get(raw.lower(), 0))
        if v > 0:
            out.append((v, m.group(0), (s.start + m.start(), s.start + m.end())))
    return out


# --------------------------------------------------------------------------- counts and systems

_MISSILE_NOUN = r"(?:ballistic\s+)?(?:missiles?|rockets?|projectiles?|ICBMs?|SRBMs?|IRBMs?|MRBMs?|SLBMs?|cruise missiles?)"
_COUNT_RE = re.compile(
    rf"\b(?P<n>{L.COUNT_WORDS_RE}|\d{{1,2}})\s+(?P<what>(?:(?!of\b|and\b|or\b|to\b|in\b|from\b|with\b)[\w\u2019'-]+\s+|[\u201c\"\u2018]){{0,5}}?"
    rf"[\u201c\"\u2018]?(?:[\w-]+\s+){{0,3}}?{_MISSILE_NOUN}[\u201d\"\u2019]?)(?![\w-])", re.I)
_TYPE_PHRASE_RE = re.compile(
    r"\b(?:(?:suspected|intercontinental|short-range|medium-range|intermediate-range|long-range|close-range|"
    r"submarine-launched|sea-launched|ground-launched|hypersonic|cruise|ballistic|tactical|guided|strategic|"
    r"solid-fuel(?:ed)?|liquid-fuel(?:ed)?|new-type|new|anti-aircraft|super-large)[\s-]+){1,5}(?:ballistic\s+)?"
    r"(?:missiles?|rockets?)\b|\b(?:ICBMs?|SRBMs?|IRBMs?|SLBMs?)\b", re.I)
_SYSTEM_NAME_RE = re.compile(r"\b(?:Hwasong-\d+[A-Za-z\u0392-\u03c9]*|KN-\d+|Pukguksong-\d+|Haeil(?:-\d+)?|Hwasal-\d+|"
                             r"Chollima-\d+|Unha-\d+|Taepodong-\d+|Nodong(?:-\d+)?|Scud(?:-[A-Z])?|Musudan|"
                             r"Malligyong-\d+)\b")
_QUOTED_TYPE_RE = re.compile(r"[\u201c\"]([^\u201d\"]{3,80}?(?:missiles?|rockets?|weapons?|ICBM))[\u201d\"]")


@dataclass
class Count:
    n: int
    what: str
    span: tuple[int, int]


def counts(s: Sentence) -> list[Count]:
    out = []
    for m in _COUNT_RE.finditer(s.text):
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else L.NUMBER_WORDS.get(raw, 0)
        what = m.group("what").strip()
        noun = re.search(r"(missiles?|rockets?|projectiles?|ICBMs?|SRBMs?|IRBMs?|MRBMs?|SLBMs?)[\u201d\"\u2019]?$", what, re.I)
        plural = bool(noun and noun.group(1).lower().endswith("s"))
        if n <= 0 or (n == 1) == plural:
            continue
        if re.search(r"\b(?:string|series|number|barrage|volley|salvo|flurry|spate|test|tests|launch|launches|year|"
                     r"week|month|day|days|time|times)\b", what, re.I):
            continue
        out.append(Count(n, what, (s.start + m.start(), s.start + m.end())))
    return out


def systems(s: Sentence) -> list[tuple[str, tuple[int, int]]]:
    out: list[tuple[str, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for rx in (_QUOTED_TYPE_RE, _SYSTEM_NAME_RE, _TYPE_PHRASE_RE):
        for m in rx.finditer(s.text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            value = m.group(0).strip()
            out.append((value, (s.start + a, s.start + b)))
    return out


def quotes(s: Sentence) -> list[tuple[str, tuple[int, int]]]:
    out = []
    for m in re.finditer(r"[\u201c\"]([^\u201d\"]{12,400})[\u201d\"]", s.text):
        inner = m.group(1).strip()
        if len(inner.split()) >= 3:
            out.append((inner, (s.start + m.start(1), s.start + m.end(1))))
    return out


# --------------------------------------------------------------------------- times

_WEEKDAY_RE = re.compile(rf"\b(?:(?P<mod>early|late)\s+)?(?:on\s+)?(?P<wd>{L.WEEKDAYS_RE})(?:\s+(?P<part>morning|afternoon|evening|night))?\b")
_DATE_MD_RE = re.compile(rf"\b(?P<mon>{L.MONTHS_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?")
_DATE_DM_RE = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{L.MONTHS_RE})(?:,?\s+(?P<year>\d{{4}}))?\b")
_DATE_ISO_RE = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?!\d)")
_CLOCK_RE = re.compile(
    r"\b(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?:\s*\(?(?P<zone>KST|JST|GMT|UTC|EST|EDT|PST|PDT|ChST|"
    r"local time|Seoul time|Tokyo time|Pyongyang time)\b)?"
    r"|\b(?P<hm>[0-2]\d[0-5]\d)\s*(?:hours?\s+|hrs\s+)?(?P<zone2>GMT|UTC|KST|JST|Z)\b"
    r"|\b(?P<h3>\d{1,2})\s*(?P<ampm3>a\.m\.|p\.m\.|am\b|pm\b)(?:\s*\(?(?P<zone3>KST|JST|GMT|UTC|local time)\b)?", re.I)
_SAID_BEFORE = re.compile(rf"\b(?:{L.SAY_VERBS_RE})\s+(?:on\s+)?$")
_RELATIVE_RE = re.compile(r"\b(?P<rel>earlier (?:today|this morning)|this morning|today|yesterday|last night|overnight)\b", re.I)


_LAUNCH_EVENT_RE = re.compile(r"\b(?:launch(?:ed|ing)?|fired|firing|test-fired|lifted off|blasted off|took off|"
                              r"detected|spotted|picked up|tracked|liftoff|lift-off)\b", re.I)
_IMPACT_EVENT_RE = re.compile(r"\b(?:c[oa]me down|coming down|landed|landing|fell|falling|splashed down|splashdown|"
                              r"crashed|impacted|impact|hit|struck|dropped|plunged|touched down|dropping|ditched)\b",
                              re.I)


def _clock_event(t: str, pos: int) -> tuple[str, str]:
    """("launch" | "impact" | "", the verb) for a clock time at ``pos``: the nearest such verb before it
    in the same sentence ("detected at 6:42", "came down at around 6:51")."""
    before = t[max(0, pos - 120):pos]
    best = ("", "", -1)
    for rx, kind in ((_LAUNCH_EVENT_RE, "launch"), (_IMPACT_EVENT_RE, "impact")):
        for m in rx.finditer(before):
            if m.end() > best[2]:
                best = (kind, m.group(0).lower(), m.end())
    return best[0], best[1]


@dataclass
class TimeMention:
    kind: str  # weekday, date, clock, relative
    span: tuple[int, int]
    text: str
    said: bool = False  # the day of a statement ("said Tuesday"), not of the launch
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    hour: int | None = None
    minute: int | None = None
    zone: str = ""  # IANA zone or "local"
    part: str = ""  # early / late / morning ...
    relative: str = ""
    # what a clock time is the time of, from the nearest verb before it: "launch" ("fired at",
    # "detected at"), "impact" ("came down at", "landed at") or "" (not said)
    event: str = ""
    event_word: str = ""


def times(s: Sentence) -> list[TimeMention]:
    t = s.text
    out: list[TimeMention] = []
    for m in _WEEKDAY_RE.finditer(t):
        said = bool(_SAID_BEFORE.search(t[max(0, m.start() - 20):m.start()]))
        out.append(TimeMention("weekday", (s.start + m.start(), s.start + m.end()), m.group(0), said,
                               weekday=L.WEEKDAYS.index(m.group("wd").lower()),
                               part=" ".join(x for x in (m.group("mod"), m.group("part")) if x)))
    for rx in (_DATE_MD_RE, _DATE_DM_RE, _DATE_ISO_RE):
        for m in rx.finditer(t):
            mon = m.group("mon")
            month = int(mon) if mon.isdigit() else L.MONTHS.get(mon.rstrip(".").lower()[:4] if mon.lower().startswith("sept") else mon.rstrip(".").lower()[:3])
            try:
                day = int(m.group("day"))
                year = int(m.group("year")) if m.group("year") else None
                date(year or 2000, month or 0, day)
            except (TypeError, ValueError):
                continue
            if any(x.span[0] <= s.start + m.start() < x.span[1] for x in out if x.kind == "date"):
                continue
            said = bool(_SAID_BEFORE.search(t[max(0, m.start() - 20):m.start()]))
            out.append(TimeMention("date", (s.start + m.start(), s.start + m.end()), m.group(0), said,
                                   month=month, day=day, year=year))
    for m in _CLOCK_RE.finditer(t):
        if m.group("hm"):
            h, mi, ampm, zone = int(m.group("hm")[:2]), int(m.group("hm")[2:]), "", m.group("zone2")
        elif m.group("h3"):
            h, mi, ampm, zone = int(m.group("h3")), 0, m.group("ampm3"), m.group("zone3") or ""
        else:
            h, mi, ampm, zone = int(m.group("h")), int(m.group("m")), m.group("ampm") or "", m.group("zone") or ""
            if not ampm and not zone and m.group(0).count(".") and not re.search(r"\b(?:at|around|about)\s+$", t[max(0, m.start() - 10):m.start()]):
                continue  # "3.5" is a number, not a time
        ampm = ampm.lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        if not (0 <= h <= 23 and 0 <= mi <= 59):
            continue
        z = zone.lower()
        iana = L.ZONE_ABBREVIATIONS.get(z, "local" if (not z or "time" in z) else "")
        if z in ("seoul time",):
            iana = "Asia/Seoul"
        elif z in ("tokyo time",):
            iana = "Asia/Tokyo"
        elif z in ("pyongyang time",):
            iana = "Asia/Pyongyang"
        event, event_word = _clock_event(t, m.start())
        prev = next((x for x in reversed(out) if x.kind == "clock"), None)
        if prev is not None and 0 <= s.start + m.start() - prev.span[1] <= 4:
            # "6:42 a.m. (2142 GMT)": the same moment on another clock
            event, event_word = prev.event, prev.event_word
        out.append(TimeMention("clock", (s.start + m.start(), s.start + m.end()), m.group(0), hour=h, minute=mi,
                               zone=iana or "local", event=event, event_word=event_word))
    for m in _RELATIVE_RE.finditer(t):
        said = bool(_SAID_BEFORE.search(t[max(0, m.start() - 20):m.start()]))
        out.append(TimeMention("relative", (s.start + m.start(), s.start + m.end()), m.group(0), said,
                               relative=m.group("rel").lower()))
    out.sort(key=lambda x: x.span)
    return out


# --------------------------------------------------------------------------- places

_CAP_PHRASE_RE = re.compile(r"[A-Z][\w\u2019'\-]*(?:(?:\s+|\s+of\s+(?:the\s+)?)[A-Z][\w\u2019'\-]*)*")
_MAX_NGRAM = 5


@dataclass
class PlaceMention:
    name: str
    span: tuple[int, int]
    candidates: list = field(default_factory=list)
    wording: str = ""  # "near X", "the X area", "an area around X"
    wording_uncertainty_m: float = 0.0
    admin_after: object = None  # a division named right after: "Taechon, North Pyongan Province"
    after_from: bool = False


def place_phrases(s: Sentence) -> list[tuple[str, int, int]]:
    """Capitalised phrases and their n-grams, longest first, as (text, start, end) in the sentence."""
    out = []
    for m in _CAP_PHRASE_RE.finditer(s.text):
        phrase = m.group(0)
        # "Korea’s" -> "Korea"
        trimmed = re.sub(r"[\u2019']s$", "", phrase)
        out.append((trimmed, m.start(), m.start() + len(trimmed)))
    return out


def tokens_of(phrase: str, start: int) -> list[tuple[str, int, int]]:
    return [(w.group(0), start + w.start(), start + w.end()) for w in re.finditer(r"[\w\u2019'\-]+", phrase)]


_NEAR_BEFORE = [
    (re.compile(r"\b(?:an?\s+)?area\s+(?:around|near|close to)\s+$", re.I), "an area around", 40_000),
    (re.compile(r"\b(?:near|close to|not far from)\s+$", re.I), "near", 30_000),
    (re.compile(r"\b(?:around|about)\s+$", re.I), "around", 30_000),
    (re.compile(r"\boutskirts of\s+$", re.I), "the outskirts of", 20_000),
    (re.compile(r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
                r"south-east|south-west)(?:ern)?\s+(?:of\s+)?$", re.I), "a direction from", 60_000),
    (re.compile(r"\b(?:in|on)\s+(?:the\s+)?(?:north|south|east|west)(?:ern)? part of\s+$", re.I), "part of", 80_000),
]
_AREA_AFTER = re.compile(r"\s+(?:area|region|vicinity|district)\b", re.I)  # used with match(text, pos)


def wording_around(text: str, start: int, end: int) -> tuple[str, float]:
    before = text[max(0, start - 40):start]
    for rx, label, metres in _NEAR_BEFORE:
        m = rx.search(before)
        if m:
            return f"{label} {text[start:end]}" if label != "a direction from" else \
                f"{m.group(0).strip()} {text[start:end]}", metres
    if _AREA_AFTER.match(text, end):
        return f"the {text[start:end]} area", 20_000
    return "", 0.0


# --------------------------------------------------------------------------- directions

_COMPASS = (r"north-northeast|east-northeast|east-southeast|south-southeast|south-southwest|west-southwest|"
            r"west-northwest|north-northwest|north-?east|north-?west|south-?east|south-?west|north|south|east|west")
_DIRECTION_RE = re.compile(
    rf"\b(?:(?:fired|launched|flew|flying|headed|heading|travel(?:l)?ed|went|toward|towards|to the|into the sea off (?:its|the)|"
    rf"off (?:its|the))\s+(?P<d1>{_COMPASS})(?:ward|wards|erly)?\b(?:\s+coast)?(?!\s+(?-i:[A-Z]))"
    rf"|\bin an? (?P<d2>{_COMPASS})(?:ward|erly)? direction"
    rf"|\b(?P<d3>{_COMPASS})wards?\b"
    # "flew about 700 km east" (not "landed 200 km east of Oshima": an offset from a place)
    rf"|\b(?:flew|flying|flown|travel(?:l)?ed|went)\s+(?:(?:about|around|some|nearly|roughly|approximately|almost|"
    rf"over|more than)\s+)?\d[\d.,\u00a0 ]*\s*(?:km|kilomet(?:er|re)s?|miles?|mi|nautical miles?|nmi)\s+"
    rf"(?P<d4>{_COMPASS})(?:ward|wards|erly)?\b(?!\s+of\b))", re.I)
_TOWARD_SEA_RE = re.compile(r"\b(?:toward|towards|into|over|in)\s+(?:the\s+)?(?:waters?\s+(?:off|of)\s+)?"
                            r"(?P<sea>(?:[A-Z][\w\u2019'-]*\s+)*(?:Sea|Ocean|Pacific|Strait|Bay)(?:\s+of\s+[A-Z]\w+)?)")


def directions(s: Sentence) -> list[tuple[str, str, tuple[int, int]]]:
    """(compass word, wording, span) and ("sea:NAME", wording, span) for seas a launch went toward."""
    out = []
    for m in _DIRECTION_RE.finditer(s.text):
        word = (m.group("d1") or m.group("d2") or m.group("d3") or m.group("d4")).lower()
        out.append((word, m.group(0), (s.start + m.start(), s.start + m.end())))
    for m in _TOWARD_SEA_RE.finditer(s.text):
        out.append(("sea:" + m.group("sea"), m.group(0), (s.start + m.start(), s.start + m.end())))
    return out


# --------------------------------------------------------------------------- coordinates

# A position written out with its hemispheres: "40°02'N 128°11'E", "40.03 N, 128.18 E",
# "39°12'00\"N 125°40'24\"E" (latitude first, as articles give them; bare numbers are not taken).
_COORD_PART = (r"\d{1,3}(?:\.\d+)?\s*°?(?:\s*\d{1,2}(?:\.\d+)?\s*['′’])?"
               r"(?:\s*\d{1,2}(?:\.\d+)?\s*(?:\"|″|''|”))?\s*")
_COORD_RE = re.compile(rf"(?<![\w.])(?P<lat>{_COORD_PART}[NS])\b\s*,?\s*(?:and\s+)?(?P<lon>{_COORD_PART}[EW])\b")
_LANDED_BEFORE = re.compile(r"\b(?:land(?:ed|ing)|fell|fall(?:ing)?|came down|splash(?:ed)?|impact(?:ed)?|"
                            r"crash(?:ed)?|hit)\b[^.;]{0,60}$", re.I)


@dataclass
class CoordinateMention:
    lat: float
    lon: float
    wording: str
    span: tuple[int, int]
    uncertainty_m: float  # what its last written figure leaves open
    landed: bool  # said of where it came down, not where it was launched


def coordinates(s: Sentence) -> list[CoordinateMention]:
    """The positions written out in a sentence, each with how precisely it is given."""
    from viewer.model.coords import CoordinateError, parse_latlon

    out = []
    for m in _COORD_RE.finditer(s.text):
        wording = m.group(0).strip()
        try:
            lat, lon = parse_latlon(f"{m.group('lat').strip()} {m.group('lon').strip()}")
        except CoordinateError:
            continue
        lat_text = m.group("lat")
        if re.search("[\"″”]|''", lat_text):
            unc = 100.0  # (to the second)
        elif re.search("['′’]", lat_text):
            unc = 2_000.0  # (to the minute: 1.85 km)
        else:
            dec = re.search(r"\.(\d+)", lat_text)
            unc = {0: 60_000.0, 1: 11_000.0, 2: 1_100.0}.get(len(dec.group(1)) if dec else 0, 100.0)
        landed = bool(_LANDED_BEFORE.search(s.text[:m.start()]))
        out.append(CoordinateMention(lat, lon, wording, (s.start + m.start(), s.start + m.start() + len(wording)),
                                     unc, landed))
    return out


# --------------------------------------------------------------------------- the article's date and dateline

_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'\u2019-]{2,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z .]{1,30}?))?"
    r"(?:,?\s*(?P<date>(?:" + L.MONTHS_RE + r")\s+\d{1,2}(?:,?\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z .]{2,30})\))?\s*(?::|\u2014|\u2013|--|-)\s+", re.M)


def dateline(text: str) -> tuple[str, tuple[int, int], str] | None:
    """(place, span, date text) of a dateline like "SEOUL, Jan 17 (Reuters) -" or "SEOUL:"."""
    for m in _DATELINE_RE.finditer(text[:3000]):
        place = m.group("place").strip()
        # "SEOUL:" or "SEOUL, Jan 17 -", or "Pyongyang, April 3 (KCNA) --" with an agency
        if len(place) < 3 or not (place.isupper() or (m.group("agency") and re.fullmatch(r"[A-Z][a-z]+", place))):
            continue
        return place.title(), (m.start("place"), m.start("place") + len(place)), m.group("date") or ""
    return None


def dateline_end(text: str) -> int:
    """Where the dateline (:func:`dateline`) ends in ``text``, its date included; 0 without one."""
    for m in _DATELINE_RE.finditer(text[:3000]):
        if dateline(text[m.start():m.end()] + "x") is not None:
            return m.end()
    return 0


def without_dateline(line: str) -> str:
    """``line`` without a dateline it begins with ("SEOUL, Jan 17 (Reuters) - North Korea fired..."
    -> "North Korea fired..."): what a title made of a story's first line should say."""
    m = _DATELINE_RE.match(line)
    if m is None or dateline(line[: m.end()] + "x") is None:
        return line
    rest = line[m.end():].strip()
    return rest[:1].upper() + rest[1:] if len(rest) >= 8 else line


def published_moment(published: str) -> datetime | None:
    """The page's publication time as a moment, where it gives a time of day and a UTC offset
    ("2022-01-17T20:30:00-05:00", "...Z"); else None."""
    t = (published or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})", t, re.I):
        return None
    try:
        moment = datetime.fromisoformat(re.sub(r"\s*[Zz]$", "+00:00", t).replace(" ", "T"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def article_date_in(text: str, published: str = "") -> tuple[date, tuple[int, int] | None, str] | None:
    """The date the article gives for itself: the page's publication time, else a full date near the top."""
    if published:
        m = _DATE_ISO_RE.search(published)
        if m:
            try:
                return date(int(m.group("year")), int(m.group("mon")), int(m.group("day"))), None, "the page's publication date"
            except ValueError:
                pass
    head = text[:800]
    for rx in (_DATE_ISO_RE, _DATE_MD_RE, _DATE_DM_RE):
        for m in rx.finditer(head):
            if not m.group("year"):
                continue
            mon = m.group("mon")
            month = int(mon) if mon.isdigit() else L.MONTHS.get(mon.rstrip(".").lower()[:3])
            try:
                return date(int(m.group("year")), month or 0, int(m.group("day"))), m.span(), "a date at the top of the article"
            except (TypeError, ValueError):
                continue
    return None


def is_system_phrase(text: str) -> bool:
    """Whether a quoted text is only a missile type ("tactical guided missiles")."""
    t = text.strip(" ,.\u201c\u201d\"")
    return any(rx.fullmatch(t) for rx in (_TYPE_PHRASE_RE, _SYSTEM_NAME_RE)) or bool(
        re.fullmatch(r"(?:[\w-]+\s+){0,4}(?:missiles?|rockets?|weapons?)", t, re.I))
