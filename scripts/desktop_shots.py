"""Screenshots for docs/ and the README: the window at 1000x700 and 1600x1000 with a measurement,
an analyst's ring and marker under their names, and the briefing exports (slide and A4 PNG, the
export dialog). Run: QT_QPA_PLATFORM=offscreen python scripts/desktop_shots.py [OUT_DIR]"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from viewer.ui.web import register_scheme


def wait(app, cond, timeout=60.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.02)


def pause(app, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(out: Path) -> None:
    register_scheme()
    app = QApplication.instance() or QApplication(sys.argv)
    from viewer import resources
    from viewer.export import briefing as b
    from viewer.model.scenario import load_scenario
    from viewer.ui.capture import render_briefing_image
    from viewer.ui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    scenario = load_scenario(resources.default_scenario())
    for w, h, tab in ((1000, 700, "facts"), (1600, 1000, "properties")):
        settings = QSettings(str(tmp / f"s{w}.ini"), QSettings.Format.IniFormat)
        win = MainWindow(settings=settings, data_dir=tmp / f"d{w}")
        win.maybe_keep_changes = lambda: True
        win.naming.ask = False
        win.resize(w, h)
        win.show()
        ready = []
        win.map_view.mapReady.connect(lambda _s: ready.append(1))
        win.set_scenario(scenario, None)
        wait(app, lambda: ready)
        win.add_ring(39.2002, 125.6733, 1_000_000, "Hwasong-12 short reach", "1,000 km")
        win.add_annotation("place", {"type": "Point", "coordinates": [129.37, 36.03]},
                           {"name": "Observation post", "role": "marker"})
        win.map_view.run_js("SitMap.app.map.setView([39.0, 128.5], 5, {animate: false})")
        pause(app, 1.0)
        win.tool_actions["measure"].trigger()
        for lat, lng in ((39.2002, 125.6733), (40.0, 129.5), (38.5, 133.0), (35.7, 139.7)):
            win.draw.machine.click(lat, lng)
        win.draw.machine.finish()
        if tab == "properties":
            win._feature_clicked("ring-380km")
            win.side.setCurrentWidget(win.properties)
        pause(app, 2.0)
        win.grab().save(str(out / f"window-{w}x{h}.png"))
        win.close()
    for name, size in (("export-slide-1920x1080.png", b.ExportSize.pixels(1920, 1080)),
                       ("export-a4-150dpi.png", b.ExportSize.for_paper("a4", 150))):
        image = render_briefing_image(scenario, size, b.BriefingOptions(banner_text="UNCLASSIFIED", show_facts=True))
        image.save(str(out / name))
    from viewer.ui.export_dialog import ExportDialog

    settings = QSettings(str(tmp / "export.ini"), QSettings.Format.IniFormat)
    d = ExportDialog(scenario, settings)
    d.resize(1400, 860)
    d.show()
    wait(app, lambda: d._preview_view is not None and d._preview_view.is_ready)
    pause(app, 2.0)
    d.grab().save(str(out / "export-dialog.png"))
    d.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
