"""Words the drafter knows: numbers, units, months and weekdays, launch verbs, and who is who.

Sources: each pattern names an organisation or office the press quotes about missile launches,
the name SitMap gives it and the country it speaks for. A statement by the launching state's own
organs (its news agency, newspaper, leader, government) is ``claimed``; anyone else's is
``reported``.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12,
    "a pair of": 2, "a couple of": 2, "both": 2, "twin": 2, "dual": 2,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}
COUNT_WORDS_RE = "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))

# unit word -> metres per unit
UNITS = {
    "kilometres": 1000.0, "kilometers": 1000.0, "kilometre": 1000.0, "kilometer": 1000.0, "km": 1000.0,
    "kms": 1000.0,
    "miles": 1609.344, "mile": 1609.344, "mi": 1609.344,
    "nautical miles": 1852.0, "nautical mile": 1852.0, "nmi": 1852.0, "nm": 1852.0,
    "metres": 1.0, "meters": 1.0, "metre": 1.0, "meter": 1.0, "m": 1.0,
    "feet": 0.3048, "foot": 0.3048, "ft": 0.3048,
}
UNITS_RE = "|".join(sorted((re.escape(k) for k in UNITS), key=len, reverse=True))
METRIC = {"kilometres", "kilometers", "kilometre", "kilometer", "km", "kms", "metres", "meters", "metre",
          "meter", "m"}

APPROX_RE = (r"about|around|some|approximately|approx\.|roughly|nearly|almost|more than|over|up to|at least|"
             r"less than|under|an estimated|estimated|a maximum of|a maximum|max|maximum|a distance of|"
             r"a range of")

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTHS_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
            r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_RE = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

LAUNCH_VERBS_RE = (r"\b(?:fire[ds]?|firing|launch(?:e[ds])?|launching|test-fire[ds]?|test-firing|lift(?:ed)? off|"
                   r"blast(?:ed)? off|shot|conducted|flew|flying|flown|tested|test)\b")
SAY_VERBS_RE = (r"said|says|say|told|reported|reports|announced|added|stated|confirmed|claimed|noted|warned|"
                r"declared|disclosed|revealed|insisted|wrote|explained")

# Zone abbreviations a report may give after a clock time -> IANA zone
ZONE_ABBREVIATIONS = {"kst": "Asia/Seoul", "jst": "Asia/Tokyo", "gmt": "UTC", "utc": "UTC", "z": "UTC",
                      "est": "America/New_York", "edt": "America/New_York", "pst": "America/Los_Angeles",
                      "pdt": "America/Los_Angeles", "chst": "Pacific/Guam", "cst": "Asia/Shanghai"}

# (pattern, canonical name, country it speaks for, kind) — first match wins.
SOURCES: list[tuple[re.Pattern, str, str]] = [(re.compile(p, re.I), name, cc) for p, name, cc in [
    (r"\bKCNA\b|Korean Central News Agency|North Korea[’']?s? (?:official |state[- ]run |state )?(?:news agency|media)|"
     r"(?:official|state)[- ](?:run )?(?:news agency|media)", "KCNA (North Korean state news agency)", "KP"),
    (r"Rodong Sinmun", "Rodong Sinmun (North Korean party newspaper)", "KP"),
    (r"\bKCTV\b|Korean Central Television", "KCTV (North Korean state television)", "KP"),
    (r"Kim Yo[ -]Jong", "Kim Yo Jong (North Korean official)", "KP"),
    (r"Kim Jong[ -]Un", "Kim Jong Un (North Korean leader)", "KP"),
    (r"Missile Administration|(?:North Korea[’']?s? )?(?:National Aerospace|NATA)\b|Academy of Defen[cs]e Science",
     "North Korean weapons agency (per state media)", "KP"),
    (r"^(?:the )?(?:North Korea|North Korean (?:government|military|army)|Pyongyang|the North|DPRK)$",
     "North Korea (its own statement)", "KP"),
    (r"\bJCS\b|Joint Chiefs of Staff|South Korea[’']?s?\s+(?:military|army|armed forces)|South Korean military|"
     r"Seoul[’']?s? (?:military|Joint Chiefs)", "South Korea Joint Chiefs of Staff (JCS)", "KR"),
    (r"South Korea[’']?s? (?:Defen[cs]e Ministry|Ministry of (?:National )?Defen[cs]e)|South Korean defen[cs]e ministry",
     "South Korea Ministry of National Defense", "KR"),
    (r"Unification Ministry", "South Korea Ministry of Unification", "KR"),
    (r"Yonhap", "Yonhap News Agency", "KR"),
    (r"(?:South Korea[’']?s? )?(?:presidential office|Blue House|National Security Council)",
     "South Korea presidential office", "KR"),
    (r"Japan[’']?s?\s+(?:Defen[cs]e Ministry|Ministry of Defen[cs]e|defen[cs]e ministry)|Japanese defen[cs]e ministry|"
     r"Defen[cs]e Minister (?:Nobuo Kishi|Yasukazu Hamada|Minoru Kihara|Gen Nakatani|Taro Kono)|"
     r"Japan[’']?s? (?:Defen[cs]e Minister)", "Japan Ministry of Defense", "JP"),
    (r"Japan(?:ese|[’']s)? [Cc]oast [Gg]uard", "Japan Coast Guard", "JP"),
    (r"Japan(?:ese|[’']s)? (?:government|Prime Minister|prime minister)|Chief Cabinet Secretary|Prime Minister "
     r"(?:Fumio Kishida|Shigeru Ishiba|Sanae Takaichi|Yoshihide Suga|Shinzo Abe)|^(?:Japan|Tokyo)$",
     "Japan government", "JP"),
    (r"Indo-Pacific Command|INDOPACOM", "US Indo-Pacific Command", "US"),
    (r"State Department|Department of State", "US State Department", "US"),
    (r"Pentagon|Department of Defen[cs]e|US military|U\.S\. military", "US Department of Defense", "US"),
    (r"White House", "The White House", "US"),
    (r"(?:Chinese|China[’']?s?) (?:foreign ministry|Foreign Ministry|Ministry of Foreign Affairs)",
     "China Ministry of Foreign Affairs", "CN"),
    (r"Reuters", "Reuters", ""),
    (r"\bAP\b|Associated Press", "Associated Press", ""),
    (r"\bAFP\b|Agence France-Presse", "AFP", ""),
    (r"Kyodo", "Kyodo News", "JP"),
]]

# Common Korean, Chinese and Japanese family and given names that are also somewhere's name in the
# city list ("Kim" is a town in India): never taken as places.
NOT_PLACES = {
    "kim", "lee", "park", "moon", "yoon", "choi", "jung", "kang", "cho", "chang", "sung", "jong", "un", "yo",
    "han", "shin", "song", "oh", "lim", "seo", "kwon", "hwang", "ahn", "ko", "jang", "yang", "wang", "li",
    "zhang", "liu", "chen", "zhao", "sun", "ma", "hu", "guo", "he", "lin", "abe", "kishi", "kishida", "suga",
    "president", "minister", "leader", "general", "colonel", "center", "centre", "institute", "university",
    "may", "march", "august", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mach", "the", "it", "state", "party", "army", "navy", "force", "command", "ministry", "olympics",
    "winter", "summer", "spring", "autumn", "fall", "christmas", "national", "central", "korean", "japanese",
    "chinese", "american", "south", "north", "east", "west",
}
# Ordinary English words that start sentences and headlines; some are also a town's other name
# somewhere ("For" is Fortaleza): never looked up on their own.
COMMON_WORDS = set("""
about above after again against also although among another any are around because been before being
below between both but by can could did does doing down during each even every few for from further
had has have having her here hers him his how however if into its just last later latest like many
meanwhile more most much must near new news next not now off once only other our out over own report
reports same several she should since some still such than that their them then there these they this
those though through thus today tomorrow too under until update updated very was were what when where
which while who whom why will with within without would yesterday yet you your breaking bulletin
announcement statement analysis opinion editorial photo video watch read more related
""".split())
# A capitalised phrase ending in one of these names an organisation, not a place.
ORG_WORDS = re.compile(r"\b(?:Institute|University|Center|Centre|Agency|Ministry|Command|Department|Office|"
                       r"Council|Party|Committee|Service|News|Times|Post|Herald|Daily|Sinmun|Studies|Foundation|"
                       r"Association|Forces|Force|Army|Navy|Staff|Administration|Academy|Olympics|Games)\b")
TITLE_WORDS = re.compile(r"(?:Minister|President|leader|spokesman|spokeswoman|spokesperson|Secretary|analyst|"
                         r"General|Gen\.|Admiral|Ambassador|envoy|representative|professor|researcher|chief|"
                         r"Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+$", re.I)


def source_of(phrase: str) -> tuple[str, str]:
    """(canonical source name, country) for a phrase that said something."""
    p = phrase.strip(" ,.;:\u201c\u201d\"'")
    for rx, name, cc in SOURCES:
        if rx.search(p):
            person = _person_in(p, name)
            return (f"{name.split(' (')[0]} ({person})" if person and "(" not in name else
                    f"{name} ({person})" if person else name), cc
    p = re.sub(r"^(?:the|a|an)\s+", "", p, flags=re.I)
    p = re.sub(r"\s+(?:on|in|at)\s+(?:a|the)\s+.*$", "", p)
    return (p[:1].upper() + p[1:])[:120], ""


_PERSON_RE = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s*$")


def _person_in(phrase: str, canonical: str) -> str:
    """A person's name at the end of the phrase ("spokesman Zhao Lijian") that the canonical name lacks."""
    m = _PERSON_RE.search(phrase)
    if not m:
        return ""
    person = m.group(1)
    if person.split()[0] in ("Defence", "Defense", "Foreign", "State", "Joint", "Chiefs", "South", "North", "Japan",
                             "Coast", "Central", "News", "White"):
        return ""
    if person.lower() in canonical.lower():
        return ""
    return person
