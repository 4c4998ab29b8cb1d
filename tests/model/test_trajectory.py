import pytest

from viewer.model.trajectory import arc_profile, assess, min_energy_apogee_m


def test_minimum_energy_apogee_for_380_km_is_about_94_km():
    assert min_energy_apogee_m(380_000) == pytest.approx(93_600, abs=300)


def test_short_ranges_approach_the_flat_earth_quarter_rule():
    assert min_energy_apogee_m(10_000) == pytest.approx(2_500, rel=0.002)


def test_reported_42_km_apogee_is_a_depressed_flight():
    a = assess(380_000, 42_000)
    assert a.kind == "depressed" and a.ratio == pytest.approx(0.45, abs=0.01)
    assert assess(380_000, 95_000).kind == "nominal"
    assert assess(380_000, 300_000).kind == "lofted"


def test_profile_starts_and_ends_on_the_ground_and_peaks_at_the_apogee():
    prof = arc_profile(380_000, 42_000, n=64)
    assert prof[0] == pytest.approx((0, 0), abs=1e-6)
    assert prof[-1][0] == pytest.approx(380_000) and prof[-1][1] == pytest.approx(0, abs=1e-6)
    assert max(h for _, h in prof) == pytest.approx(42_000)
    assert prof[32][0] == pytest.approx(190_000)


@pytest.mark.parametrize("rng, apo", [(0, 1), (-1, 1), (380_000, 0), (30_000_000, 1), (float("nan"), 1)])
def test_impossible_numbers_are_refused(rng, apo):
    with pytest.raises(ValueError):
        assess(rng, apo)
