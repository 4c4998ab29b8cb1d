"""A large map of lines and areas given to its page in parts (viewer.render.parts), each as soon as
Python has drawn it, while the page builds, adds and paints the one before: the window's side of
it (MapView.show_in_parts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt, Signal

from viewer.ui.web import SEND_MS

if TYPE_CHECKING:
    from viewer.model.scenario import Scenario

# A part given to the page: the drawing of the next waits until the page has it, at most this long.
PART_SENT_S = 0.06


def show_in_parts(view, scenario: Scenario, options: tuple,
                  beside: Callable[[Callable[[], list]], list]) -> list:
    """Draw the map for the page ``view`` (a viewer.ui.map_view.MapView) began for it, in parts
    (viewer.render.parts), each given to the page as soon as it is drawn: the first with the rest of
    its payload, then one by one, while the page builds, adds and paints each part as it comes (over
    what its canvas shows: resources/js/sitmap.js takeParts). ``beside(work)`` runs the drawing on a worker thread
    while this thread's event loop answers the page (:func:`viewer.ui.beside_loop.run_beside_loop`).
    The legend follows the last part. ``options`` are what MapView.takes_parts answered. Returns
    the drawn features, in map order (as layers.draw_scenario)."""
    from dataclasses import replace

    from viewer.render import layers as layer_mod
    from viewer.render import parts
    from viewer.render.drawn_set import legend_of
    from viewer.render.page import features_batch, page_payload, page_with
    from viewer.render.safe_json import safe_json
    from viewer.ui.waiting_page import payload_answer

    specs, page_opts = options
    shell, view._shell = view._shell, None
    plan = parts.plan(scenario)
    if shell.view is None:
        view._start(shell, page_opts, layer_mod.scenario_view(scenario))
    page_opts = replace(page_opts, view=shell.view, features_url="(in parts)")
    names = [f"{view._page_prefix}-part-{view._generation}-{k}.json" for k in range(len(plan.parts))]
    handler = view.scheme_handler
    urls = [handler.hold_data(name) for name in names[1:]]
    shapes = sum(1 for f in plan.features if f.kind != "place")

    def given(k: int, drawn: list, batch: bytes) -> None:  # (on this thread)
        if k:
            handler.set_data(names[k], batch, once=True)
            return
        payload = page_payload(scenario, plan.first(drawn), page_opts, legend=False)
        del payload["featuresUrl"]
        payload.update(moreParts=urls, shapeCount=shapes)
        html, text = page_with(page_opts, payload)
        view._serve(html, specs, None)
        view.page_parts = names
        handler.set_data(shell.payload_name, payload_answer(text, batch), once=True)

    carrier = _PartCarrier()
    carrier.drawn.connect(given, Qt.ConnectionType.QueuedConnection)  # (emitted on the worker thread)

    # Each part's answer goes out through this thread, whose every step waits for the interpreter
    # while the worker draws the next part (200-500 ms from a part given to the page having it):
    # the worker waits until the page has a part it asked for (10-40 ms), at most PART_SENT_S
    # (a page still busy with the part before), then draws the next. (Not after the first two: the
    # page builds its map's start from the first meanwhile.)
    def give(k: int, drawn: list) -> None:  # (on the worker thread)
        carrier.drawn.emit(k, drawn, features_batch(drawn))
        if k >= 2:
            handler.sent_off(names[k]).wait(PART_SENT_S)

    def work() -> tuple[list, list]:  # (the legend counted beside the loop too: the last parts go out meanwhile)
        drawn = parts.draw_parts(plan, give)
        return drawn, legend_of(drawn)

    drawn, view.legend_shown = beside(work)
    handler.set_data(shell.legend_name, safe_json(view.legend_shown).encode("utf-8"), once=True, wait_ms=SEND_MS)
    # The page has every part before the window's own work goes on (its panels: the parts' answers
    # go out through this thread, and would wait for that work).
    handler.wait_taken(names[1:], SEND_MS)
    view.drawn = drawn
    view._keep_drawn_once_shown(drawn)
    return drawn


class _PartCarrier(QObject):
    """Brings each part drawn on the worker thread to the window's (show_in_parts)."""

    drawn = Signal(int, object, object)  # (part number, its drawn features, its batch)
