"""Bring your own launch database: a CSV launch table read into a :class:`LaunchHistory`.

Two steps, so a dialog can show the columns between them:

1. :func:`read_table` decodes the bytes (UTF-8, else Windows-1252), finds the delimiter and the
   header row;
2. :func:`import_launches` reads the rows through a :class:`ColumnMapping` — guessed from the
   header by :func:`guess_mapping` (the CNS North Korea Missile Test Database's own layout, and
   any table with a date, a site or coordinates, a system, distance, apogee, bearing) and
   overridden by the user.

Lenient with values ("1,380 km", "Unknown", "Sep-84", "23:50 (UTC)"), strict with rows: a row
without a usable date or position is skipped and reported with its number and the reason. Text
is cleaned of control and formatting characters and kept as text; nothing here is ever markup.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from viewer.model.history import CLASSES, Launch, LaunchHistory, Site, System

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_TEXT = 120
MAX_REPORTED = 200  # skipped-row messages kept (the count is always exact)

FIELDS = ("date", "time", "system", "class", "site", "lat", "lon", "apogee", "distance", "bearing", "outcome",
          "landing")
FIELD_LABELS = {
    "date": "Date (UTC)", "time": "Time (UTC)", "system": "System / missile", "class": "Class / type",
    "site": "Site / facility", "lat": "Latitude", "lon": "Longitude", "apogee": "Apogee (km)",
    "distance": "Distance (km)", "bearing": "Bearing (\u00b0)", "outcome": "Outcome", "landing": "Landing area",
}
# Normalised header names (lower case, letters and digits only), best first. The CNS database's
# columns come first: Date, Launch Time (UTC), Missile Name, Missile Type, Facility Name,
# Facility Latitude, Facility Longitude, Landing Location, Apogee, Distance Travelled, Test Outcome.
_SYNONYMS = {
    "date": ("date", "launchdate", "dateutc", "day", "launchday"),
    "time": ("launchtimeutc", "launchtime", "timeutc", "time"),
    "system": ("missilename", "missile", "system", "systemname", "weapon", "name"),
    "class": ("missiletype", "class", "missileclass", "category", "type"),
    "site": ("facilityname", "facility", "launchsite", "site", "sitename", "launchlocation", "location",
             "facilitylocation"),
    "lat": ("facilitylatitude", "latitude", "lat", "sitelatitude", "launchlatitude", "sitelat"),
    "lon": ("facilitylongitude", "longitude", "lon", "lng", "long", "sitelongitude", "launchlongitude", "sitelon"),
    "apogee": ("apogee", "apogeekm", "maxaltitude", "altitude", "altitudekm"),
    "distance": ("distancetravelled", "distancetraveled", "distance", "distancekm", "range", "rangekm"),
    "bearing": ("bearing", "bearingdeg", "azimuth", "heading", "direction"),
    "outcome": ("testoutcome", "outcome", "result"),
    "landing": ("landinglocation", "landing", "landingarea", "impactarea", "impactlocation"),
}
_UNKNOWN = {"", "unknown", "unk", "n/a", "na", "none", "null", "-", "--", "?", "not known", "nan"}


class LaunchCsvError(ValueError):
    """A launch table that cannot be read at all; ``str()`` is one line."""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str
    delimiter: str
    first_row: int  # file line of the first data row (1-based), for messages


@dataclass(frozen=True)
class ColumnMapping:
    """Field -> column index; fields missing from it are not read."""

    columns: Mapping[str, int] = field(default_factory=dict)

    def column(self, name: str) -> int | None:
        return self.columns.get(name)

    def with_column(self, name: str, index: int | None) -> "ColumnMapping":
        if name not in FIELDS:
            raise ValueError(f"unknown field {name!r}")
        cols = {k: v for k, v in self.columns.items() if k != name and v != index}
        if index is not None:
            cols[name] = int(index)
        return ColumnMapping(cols)

    def problems(self) -> list[str]:
        """Why this mapping cannot import anything (empty when it can)."""
        out = []
        if "date" not in self.columns:
            out.append("no column gives the date")
        if "site" not in self.columns and not ("lat" in self.columns and "lon" in self.columns):
            out.append("no column gives the site or its latitude and longitude")
        return out


@dataclass
class LaunchImport:
    history: LaunchHistory
    skipped: list[str]  # "row 7: ... \u2014 skipped", at most MAX_REPORTED
    skipped_count: int
    notes: list[str]  # values left unknown in rows that were kept
    rows_read: int

    def report(self) -> str:
        n = len(self.history.launches)
        text = f"{n:,} launch{'es' if n != 1 else ''} imported from {self.rows_read:,} rows"
        if self.skipped_count:
            text += f"; {self.skipped_count:,} row{'s' if self.skipped_count != 1 else ''} skipped"
        if self.notes:
            text += f"; {len(self.notes):,} value{'s' if len(self.notes) != 1 else ''} not understood, left unknown"
        return text + "."


# ----------------------------------------------------------------------------- step 1: the table
def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if len(data) > MAX_BYTES:
        raise LaunchCsvError(f"the file is {len(data) / 1e6:.0f} MB; launch tables up to {MAX_BYTES // 2**20} MB are read")
    if b"\x00" in data[:65536]:
        raise LaunchCsvError("this is not a text table (it holds NUL bytes; UTF-16 and binary files are not read)")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def read_table(data: bytes, source_name: str = "table") -> Table:
    text, encoding = decode(data)
    if not text.strip():
        raise LaunchCsvError(f"{source_name}: the file is empty")
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[str, ...]] = []
    try:
        for row in reader:
            if len(rows) > MAX_ROWS:
                raise LaunchCsvError(f"{source_name}: more than {MAX_ROWS:,} rows")
            rows.append(tuple(row[:MAX_COLUMNS]))
    except csv.Error as e:
        raise LaunchCsvError(f"{source_name}: not a readable CSV table (line {reader.line_num}: {e})") from None
    first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if first is None:
        raise LaunchCsvError(f"{source_name}: the file is empty")
    headers = tuple(clean_text(h, 60) or f"column {i + 1}" for i, h in enumerate(rows[first]))
    return Table(headers, tuple(rows[first + 1:]), encoding, delimiter, first + 2)


def _norm(h: str) -> str:
    return re.sub(r"[^a-z0-9]", "", h.lower())


def guess_mapping(headers: tuple[str, ...] | list[str]) -> ColumnMapping:
    """Which column holds which field, from the header names."""
    norm = [_norm(h) for h in headers]
    cols: dict[str, int] = {}
    used: set[int] = set()
    for name in FIELDS:
        for syn in _SYNONYMS[name]:
            hit = next((i for i, h in enumerate(norm) if h == syn and i not in used), None)
            if hit is not None:
                cols[name] = hit
                used.add(hit)
                break
    return ColumnMapping(cols)


# ----------------------------------------------------------------------------- values
_CONTROL_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """Text as text: control, format (bidi overrides, zero-width) and private characters
    removed, white space collapsed, at most ``limit`` characters."""
    out = "".join(" " if unicodedata.category(c) in _CONTROL_CATEGORIES else c for c in value)
    out = re.sub(r"\s+", " ", out).strip()
    return out[:limit - 1] + "\u2026" if len(out) > limit else out


class _Bad(ValueError):
    pass


_UNIT_KM = {"": 1.0, "km": 1.0, "kms": 1.0, "kilometers": 1.0, "kilometres": 1.0, "mi": 1.609344,
            "miles": 1.609344, "mile": 1.609344, "nm": 1.852, "nmi": 1.852, "m": 0.001}
_NUMBER = re.compile(
    r"^(?:about|approx\.?|approximately|c\.|ca\.|~|\u2248|>|<|over|under)?\s*"
    r"([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:[.,][0-9]+)?)\s*([a-z]*)\.?\s*\+?$")


def parse_km(text: str) -> float | None:
    """"1,380 km" -> 1380; "about 450" -> 450; "250 miles" -> 402.3; "Unknown" -> None."""
    t = text.strip().lower()
    if t in _UNKNOWN:
        return None
    m = _NUMBER.match(t)
    if not m or m.group(2) not in _UNIT_KM:
        raise _Bad(text)
    num = m.group(1)
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", num):
        num = num.replace(",", "")
    else:
        num = num.replace(",", ".")  # a decimal comma
    return float(num) * _UNIT_KM[m.group(2)]


def parse_degrees(text: str, positive: str, negative: str) -> float | None:
    """"39.2", "39.2 N", "125.6E", "-33.1" -> degrees; "Unknown" -> None."""
    t = text.strip().upper().replace("\u00b0", " ")
    if t.lower() in _UNKNOWN:
        return None
    if "," in t and "." not in t:
        t = t.replace(",", ".")  # a decimal comma
    m = re.fullmatch(r"([+-]?[0-9]+(?:\.[0-9]+)?)\s*([A-Z]?)", t)
    if not m or m.group(2) not in ("", positive, negative):
        raise _Bad(text)
    v = float(m.group(1))
    return -v if negative and m.group(2) == negative else v


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%d %b %y",
                 "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d.%m.%Y")
_MONTH_FORMATS = ("%b-%y", "%b-%Y", "%B-%y", "%B-%Y", "%b %Y", "%B %Y", "%b %y", "%Y-%m", "%m/%Y")


def parse_date(text: str) -> tuple[str, str | None]:
    """(date "YYYY-MM-DD" or "YYYY-MM", time "HH:MM" or None) from a date cell.
    "9-Apr-84", "Sep-84" (month only), "2022-01-16T23:50:00Z", "17 January 2022"."""
    t = clean_text(text, 40).rstrip(".")
    if t.lower() in _UNKNOWN:
        raise _Bad(text)
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|\+00:?00)?", t, re.I)
    if m:
        _check_year(datetime.strptime(m.group(1), "%Y-%m-%d"), text)
        if int(m.group(2)) > 23 or int(m.group(3)) > 59:
            raise _Bad(text)
        return m.group(1), f"{m.group(2)}:{m.group(3)}"
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(t, fmt)
        except ValueError:
            continue
        return _check_year(d, text).strftime("%Y-%m-%d"), None
    for fmt in _MONTH_FORMATS:
        try:
            d = datetime.strptime(t, fmt)
        except ValueError:
            continue
        return _check_year(d, text).strftime("%Y-%m"), None
    raise _Bad(text)


def _check_year(d: datetime, text: str) -> datetime:
    # (a two-digit year is read by %y: 69-99 in the 1900s, 00-68 in the 2000s; a four-digit one as it is)
    if not 1900 <= d.year <= 2100:
        raise _Bad(text)
    return d


def parse_time(text: str) -> str | None:
    t = text.strip().lower().replace("(utc)", "").replace("utc", "").replace("z", "").strip()
    if t in _UNKNOWN:
        return None
    m = re.fullmatch(r"(\d{1,2}):?(\d{2})(?::\d{2})?", t)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise _Bad(text)
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_outcome(text: str) -> str:
    t = text.strip().lower()
    if t.startswith(("success", "succeeded")) or t in ("s", "ok", "yes"):
        return "success"
    if t.startswith(("fail", "abort", "explo")) or t in ("f", "no"):
        return "failure"
    return "unknown"


def parse_class(text: str) -> str | None:
    t = text.strip().upper()
    if t.lower() in _UNKNOWN:
        return None
    for c in ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM"):
        if c in t:
            return c
    if "SLV" in t or "SPACE" in t or "SATELLITE" in t:
        return "space launch"
    if "CRUISE" in t:
        return "cruise"
    return "other"


# ----------------------------------------------------------------------------- step 2: the launches
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


def import_launches(table: Table, mapping: ColumnMapping, source_name: str = "table",
                    known: LaunchHistory | None = None) -> LaunchImport:
    """Launches from the table's rows. Rows without a usable date or position are skipped and
    reported; values not understood in kept rows are left unknown and noted. ``known`` (the
    built-in history) gives positions for site names without coordinates and classes for systems."""
    problems = mapping.problems()
    if problems:
        raise LaunchCsvError(f"{source_name}: {'; '.join(problems)}")
    skipped: list[str] = []
    skipped_count = 0
    notes: list[str] = []
    sites: dict[tuple, Site] = {}
    systems: dict[str, System] = {}
    launches: list[Launch] = []
    known_sites = {}
    known_systems = {}
    if known is not None:
        for s in known.sites_used():
            known_sites.setdefault(s.name.lower(), s)
            known_sites.setdefault(s.key.lower(), s)
        for s in known.systems_used():
            for k in (s.name.lower(), s.short.lower(), s.key.lower()):
                known_systems.setdefault(k, s)
    credit = f"{clean_text(source_name, 80)} (imported table)"
    rows_read = 0

    def skip(row_no: int, why: str) -> None:
        nonlocal skipped_count
        skipped_count += 1
        if len(skipped) < MAX_REPORTED:
            skipped.append(f"row {row_no}: {why} \u2014 skipped")

    def cell(row: tuple[str, ...], name: str) -> str:
        i = mapping.column(name)
        return row[i] if i is not None and i < len(row) else ""

    for n, row in enumerate(table.rows):
        row_no = table.first_row + n
        if not any(c.strip() for c in row):
            continue
        rows_read += 1
        raw_date = cell(row, "date")
        try:
            date, time = parse_date(raw_date)
        except (_Bad, ValueError):
            skip(row_no, f"date {clean_text(raw_date, 40)!r} not understood" if raw_date.strip() else "no date")
            continue
        if mapping.column("time") is not None:
            try:
                time = parse_time(cell(row, "time")) or time
            except _Bad:
                notes.append(f"row {row_no}: time {clean_text(cell(row, 'time'), 40)!r} not understood, left unknown")
        site_name = clean_text(cell(row, "site"))
        lat = lon = None
        raw_lat, raw_lon = cell(row, "lat"), cell(row, "lon")
        try:
            lat = parse_degrees(raw_lat, "N", "S") if raw_lat.strip() else None
            lon = parse_degrees(raw_lon, "E", "W") if raw_lon.strip() else None
        except _Bad:
            skip(row_no, f"coordinates {clean_text(raw_lat, 30)!r}, {clean_text(raw_lon, 30)!r} not understood")
            continue
        if (lat is None) != (lon is None):
            skip(row_no, "only one of latitude and longitude")
            continue
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            skip(row_no, f"impossible coordinates {lat:g}, {lon:g}")
            continue
        if lat is None:
            k = known_sites.get(site_name.lower()) if site_name else None
            if k is None:
                skip(row_no, f"no coordinates, and site {site_name!r} is not a known site" if site_name
                     else "no site and no coordinates")
                continue
            lat, lon, precision = k.lat, k.lon, k.precision
            site_name = k.name
        else:
            precision = "site"
        site_key = (site_name or f"{lat:.4f}, {lon:.4f}", round(lat, 6), round(lon, 6))
        site = sites.get(site_key)
        if site is None:
            site = sites[site_key] = Site(f"csv-{_slug(site_key[0])}-{len(sites) + 1}", site_key[0], lat, lon, precision)
        system_name = clean_text(cell(row, "system")) or "Unknown"
        system = systems.get(system_name.lower())
        if system is None:
            cls = parse_class(cell(row, "class"))
            k = known_systems.get(system_name.lower())
            if cls is None:
                cls = k.cls if k is not None else "unknown"
            key, n = f"csv-{_slug(system_name)}", 2  # (each system its own key: "KN-23" and "KN 23",
            while any(s.key == key for s in systems.values()):  # or names of no ASCII letter, slug alike)
                key, n = f"csv-{_slug(system_name)}-{n}", n + 1
            system = systems[system_name.lower()] = System(key, system_name, cls if cls in CLASSES else "other")
        values: dict[str, float | None] = {}
        for name, hi in (("apogee", 100_000.0), ("distance", 40_000.0), ("bearing", 360.0)):
            raw = cell(row, name)
            try:
                v = parse_degrees(raw, "", "") if name == "bearing" and raw.strip() else parse_km(raw)
            except _Bad:
                notes.append(f"row {row_no}: {name} {clean_text(raw, 40)!r} not understood, left unknown")
                v = None
            if v is not None and not 0 <= v <= hi:
                notes.append(f"row {row_no}: {name} {v:g} out of range, left unknown")
                v = None
            values[name] = round(v, 1) if v is not None else None
        landing = clean_text(cell(row, "landing")) or None
        if landing is not None and landing.lower() in _UNKNOWN:
            landing = None
        launches.append(Launch(
            f"csv-{row_no}", date, time, system, site, apogee_km=values["apogee"], distance_km=values["distance"],
            bearing_deg=values["bearing"], outcome=parse_outcome(cell(row, "outcome")), landing=landing,
            source=credit, status="reported"))
    history = LaunchHistory(launches, name=clean_text(source_name, 80), credit=credit,
                            sites={s.key: s for s in sites.values()}, systems={s.key: s for s in systems.values()})
    return LaunchImport(history, skipped, skipped_count, notes[:MAX_REPORTED], rows_read)


def import_launch_csv(data: bytes, source_name: str = "table", mapping: ColumnMapping | None = None,
                      known: LaunchHistory | None = None) -> LaunchImport:
    """Both steps at once, with the guessed mapping unless one is given."""
    table = read_table(data, source_name)
    return import_launches(table, mapping or guess_mapping(table.headers), source_name, known)
