"""Ballistic trajectory figures derived from a reported range and apogee.

Model: spherical Earth (mean radius), no drag, no rotation, burnout and impact at the
surface. The flight is an arc of a Kepler ellipse with a focus at the Earth's centre.

Minimum-energy apogee for a ground range s (half range angle psi = s / 2R): the empty
focus lies on the chord between launch and impact, so 2a = R + R sin(psi) and the foci
are R cos(psi) apart, giving the apogee height

    h_min = R (sin psi + cos psi - 1) / 2      (about s/4 for short ranges)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_MEAN_RADIUS_M = 6_371_008.8
MIN_ENERGY_FORMULA = "h = R (sin \u03c8 + cos \u03c8 \u2212 1) / 2, \u03c8 = s / 2R (spherical Earth, no drag)"
# A flight well below the minimum-energy arc is "depressed", well above it "lofted".
DEPRESSED_BELOW = 0.8
LOFTED_ABOVE = 1.25


def _half_angle(range_m: float, radius_m: float) -> float:
    if not (math.isfinite(range_m) and range_m > 0):
        raise ValueError("range must be a positive number of metres")
    psi = range_m / (2 * radius_m)
    if psi >= math.pi / 2:
        raise ValueError("range must be shorter than half the Earth's circumference")
    return psi


def min_energy_apogee_m(range_m: float, radius_m: float = EARTH_MEAN_RADIUS_M) -> float:
    psi = _half_angle(range_m, radius_m)
    return radius_m * (math.sin(psi) + math.cos(psi) - 1) / 2


@dataclass(frozen=True)
class Assessment:
    range_m: float
    apogee_m: float
    min_energy_apogee_m: float
    ratio: float
    kind: str  # depressed, nominal, lofted

    def describe(self) -> str:
        return (f"Reported apogee {self.apogee_m / 1000:.0f} km is {self.ratio:.2f} of the minimum-energy "
                f"apogee {self.min_energy_apogee_m / 1000:.0f} km for {self.range_m / 1000:.0f} km: {self.kind}")


def assess(range_m: float, apogee_m: float, radius_m: float = EARTH_MEAN_RADIUS_M) -> Assessment:
    if not (math.isfinite(apogee_m) and apogee_m > 0):
        raise ValueError("apogee must be a positive number of metres")
    h_min = min_energy_apogee_m(range_m, radius_m)
    ratio = apogee_m / h_min
    kind = "depressed" if ratio < DEPRESSED_BELOW else "lofted" if ratio > LOFTED_ABOVE else "nominal"
    return Assessment(range_m, apogee_m, h_min, ratio, kind)


def arc_profile(range_m: float, apogee_m: float, n: int = 64,
                radius_m: float = EARTH_MEAN_RADIUS_M) -> list[tuple[float, float]]:
    """(ground distance m, altitude m) along the Kepler arc with this range and apogee.

    With theta measured from the apogee direction, r = p / (1 - e cos theta); r = R at
    theta = +-psi and r = R + h at theta = 0 give e = h / (R + h - R cos psi).
    """
    psi = _half_angle(range_m, radius_m)
    ra = radius_m + apogee_m
    e = (ra - radius_m) / (ra - radius_m * math.cos(psi))
    p = ra * (1 - e)
    out = []
    for i in range(n + 1):
        theta = -psi + 2 * psi * i / n
        r = p / (1 - e * math.cos(theta))
        out.append((radius_m * (theta + psi), r - radius_m))
    return out
