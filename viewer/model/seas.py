"""Seas, gulfs and straits named in news about the Korean peninsula and the western Pacific.

A small hand-made table: each water body's usual names and a point well inside it, with how far
that point may be from what a report means (these are large areas, so the uncertainty is large).
Coordinates are approximate centres read off a map in WGS84 decimal degrees; they are facts about
geography, not anyone's text.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "SitMap table of sea names (approximate centres)"


@dataclass(frozen=True)
class Sea:
    name: str
    lat: float
    lon: float
    uncertainty_m: float
    aliases: tuple[str, ...] = ()


SEAS: tuple[Sea, ...] = (
    Sea("Sea of Japan (East Sea)", 40.0, 134.5, 600_000,
        ("Sea of Japan", "East Sea", "East Sea of Korea", "Japan Sea", "waters off the east coast", "Donghae")),
    Sea("Yellow Sea (West Sea)", 36.0, 123.5, 400_000,
        ("Yellow Sea", "West Sea", "West Sea of Korea", "Hwanghae")),
    Sea("East China Sea", 29.5, 125.5, 450_000, ("East China Sea",)),
    Sea("Bohai Sea", 38.7, 120.2, 150_000, ("Bohai Sea", "Bohai Gulf", "Gulf of Bohai")),
    Sea("Korea Bay", 39.2, 124.0, 100_000, ("Korea Bay", "West Korea Bay")),
    Sea("East Korea Bay", 39.6, 128.2, 80_000, ("East Korea Bay", "Gulf of Wonsan")),
    Sea("Korea Strait", 34.4, 129.2, 100_000, ("Korea Strait", "Tsushima Strait", "Straits of Korea")),
    Sea("Tsugaru Strait", 41.5, 140.6, 40_000, ("Tsugaru Strait",)),
    Sea("Sea of Okhotsk", 53.0, 149.0, 800_000, ("Sea of Okhotsk", "Okhotsk Sea")),
    Sea("Philippine Sea", 20.0, 132.0, 1_200_000, ("Philippine Sea",)),
    Sea("South China Sea", 12.0, 114.0, 1_000_000, ("South China Sea",)),
    Sea("Pacific Ocean (east of Japan)", 38.0, 148.0, 1_500_000,
        ("Pacific Ocean", "Pacific", "western Pacific", "North Pacific")),
)
