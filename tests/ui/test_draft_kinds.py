"""The review pane: a drafted distance can be taken as the range, the apogee or another distance."""

from datetime import date

from viewer.model.draft import draft_article
from viewer.ui.draft_dialog import DraftDialog

TEXT = ("SEOUL, Oct 14 - North Korea fired a ballistic missile from near Sinpo toward the East Sea on Tuesday, "
        "South Korea's Joint Chiefs of Staff said. It came down some 600 km away from the coast, the JCS added.")


def _pick(dlg: DraftDialog, role: str) -> None:
    """Choose a role in the "Distance is" box as the user does (the box reports activated)."""
    index = dlg.distance_role.findData(role)
    dlg.distance_role.setCurrentIndex(index)
    dlg.distance_role.activated.emit(index)


def test_a_distance_chosen_as_the_range_in_review_draws_ring_path_and_impact_area(qtbot):
    dlg = DraftDialog()
    qtbot.addWidget(dlg)
    dlg.show_draft(draft_article(TEXT, article_date=date(2025, 10, 14)))
    dist = next(i for i in dlg.draft.items if i.kind == "distance")
    unresolved_before = dlg.unresolved.count()
    # only a distance offers the choice
    dlg.select_item(next(i for i in dlg.draft.items if i.kind == "launch_site").id)
    assert not dlg.distance_role.isEnabled()
    dlg.select_item(dist.id)
    assert dlg.distance_role.isEnabled() and dlg.distance_role.currentData() == "distance"
    _pick(dlg, "range")
    taken = dlg.draft.item(dist.id)
    assert taken.kind == "range" and taken.used
    row = [i.id for i in dlg.draft.items].index(dist.id)
    assert dlg.table.item(row, 0).text() == "Range flown" and dlg.table.item(row, 4).text() == "edited"
    assert dlg.current_item().id == dist.id and dlg.distance_role.currentData() == "range"
    assert dlg.unresolved.count() == unresolved_before - 1  # the "neither range nor altitude" note went
    dlg.finish()
    sc = dlg.scenario
    for fid in ("ring-600km", "flight-path", "impact-area"):
        assert sc.feature(fid) is not None, fid


def test_a_range_chosen_as_the_apogee_is_drawn_as_the_apogee(qtbot):
    dlg = DraftDialog()
    qtbot.addWidget(dlg)
    dlg.show_draft(draft_article(TEXT.replace("It came down some 600 km away from the coast",
                                              "It flew 60 km"), article_date=date(2025, 10, 14)))
    rng = next(i for i in dlg.draft.items if i.kind == "range")
    dlg.select_item(rng.id)
    _pick(dlg, "apogee")
    assert dlg.draft.item(rng.id).kind == "apogee"
    dlg.finish()
    assert dlg.scenario.feature("ring-60km") is None
    assert next(f for f in dlg.scenario.facts if f.id == "apogee").value == "60 km"
