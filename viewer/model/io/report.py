"""What opening a file left out or repaired: a count per reason and the first few names or
places, as plain text for a dialog or the command line's stderr."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.model.json_read import MAX_NESTING

# Reasons, as the user reads them (plural: "3 3D models").
MODEL = "3D models"
NETWORK_LINK = "network links"
OVERLAY = "ground, screen and photo overlays"
TOUR = "tours (a camera's flight, played in Google Earth)"
UPDATE = "changes to another document (a NetworkLinkControl's Update)"
NO_GEOMETRY = "placemarks or features without coordinates"
EMPTY = "empty geometries"
SELF_CROSSING = "polygons that cross themselves (no repair keeps their shape)"
OUTSIDE = "positions outside the world (latitude -90..90, longitude -180..180)"
BAD_ROW = "rows without a readable latitude and longitude"
INVALID = "elements SitMap cannot read"
BAD_TIME = "times that are no real date, e.g. past the year 9999 (the rest of the element is kept)"
REPAIRED = "invalid polygons repaired (same shape)"
WHOLE_WORLD = ("polygons around the whole world from pole to pole (an area's edges are geodesics: no area SitMap "
               "draws holds them)")
SYSTEM = "features in a coordinate system that is not given or cannot be read, outside longitude/latitude's range"
TOO_DEEP = f"a geometry nested deeper than {MAX_NESTING} levels"  # (said of the one left out: see why.INVALID)
MEASURES = "features whose positions had a fourth value (a measure): kept without it"
HEIGHTS_LEFT_OUT = "heights (altitudes) of {n:,} position(s) left out: SitMap's maps are flat"
SHOWN = 3  # names or places shown per reason


@dataclass
class OpenReport:
    source: str
    opened: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    repairs: int = 0
    repaired_examples: list[str] = field(default_factory=list)
    own_format: bool = False  # a SitMap file, read exactly
    kept_in_part: dict[str, list] = field(default_factory=dict)  # reason: [count, examples]: opened, less something
    notes: list[str] = field(default_factory=list)  # what was done to show it (coordinates converted)

    def left_out(self, reason: str, where: str) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < SHOWN and where:
            shown.append(_one_line(where))

    def repaired(self, where: str) -> None:
        self.repairs += 1
        if len(self.repaired_examples) < SHOWN and where:
            self.repaired_examples.append(_one_line(where))

    def kept_without(self, reason: str, where: str) -> None:
        """A feature opened without part of what the file gave it (``reason`` says what)."""
        entry = self.kept_in_part.setdefault(reason, [0, []])
        entry[0] += 1
        if len(entry[1]) < SHOWN and where:
            entry[1].append(_one_line(where))

    def note(self, text: str) -> None:
        """Something done to show the file that the user should know of (once each)."""
        if text not in self.notes:
            self.notes.append(_one_line(text, 200))

    @property
    def left_out_count(self) -> int:
        return sum(self.counts.values())

    @property
    def anything_to_say(self) -> bool:
        return bool(self.counts) or self.repairs > 0 or bool(self.kept_in_part) or bool(self.notes)

    def lines(self, notes: bool = True) -> list[str]:
        """The report as lines; ``notes=False``: what was left out, repaired or cut only."""
        out = []
        if self.counts:
            out.append(f"{self.source}: opened {self.opened} feature(s); left out {self.left_out_count}:")
            for reason, n in sorted(self.counts.items(), key=lambda kv: -kv[1]):
                names = self.examples.get(reason) or []
                more = ", \u2026" if n > len(names) else ""
                out.append(f"  {n} \u00d7 {reason}" + (f": {'; '.join(names)}{more}" if names else ""))
        if self.repairs:
            if not out:
                out.append(f"{self.source}: opened {self.opened} feature(s).")
            more = ", \u2026" if self.repairs > len(self.repaired_examples) else ""
            out.append(f"  {self.repairs} \u00d7 {REPAIRED}: {'; '.join(self.repaired_examples)}{more}")
        for reason, (n, names) in self.kept_in_part.items():
            if not out:
                out.append(f"{self.source}: opened {self.opened} feature(s).")
            more = ", \u2026" if n > len(names) else ""
            out.append(f"  {n} \u00d7 {reason}" + (f": {'; '.join(names)}{more}" if names else ""))
        if notes and self.notes:
            if not out:
                out.append(f"{self.source}: opened {self.opened} feature(s).")
            out.extend(f"  {n}." for n in self.notes)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines()) if self.anything_to_say else f"{self.source}: opened {self.opened} feature(s)."


def _one_line(text: str, n: int = 100) -> str:
    """``text`` on one line of at most ``n`` characters (about): a longer one cut after a whole
    word, with "..." and the brackets it had opened closed again."""
    text = " ".join(str(text).split())
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    space = cut.rfind(" ")
    if space > n // 2:
        cut = cut[:space].rstrip(",;:")
    closing = []
    pairs = {"(": ")", "[": "]", "{": "}"}
    for c in cut:
        if c in pairs:
            closing.append(pairs[c])
        elif closing and c == closing[-1]:
            closing.pop()
    return cut + " \u2026" + "".join(reversed(closing))
