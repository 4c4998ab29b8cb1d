"""Run by test_real_window: opens the real SitMap window on an X display and, once the
map reports ready, photographs the whole X screen (not the widget) and exits."""

import sys

from viewer.app import make_application, prepare_qt_environment


def main(out: str) -> int:
    prepare_qt_environment(headless=False)
    app = make_application([sys.argv[0]])
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.main_window import MainWindow

    w = MainWindow()
    w.resize(1280, 800)
    w.move(0, 0)

    def shoot(_state):
        shot = QGuiApplication.primaryScreen().grabWindow(0)
        shot.save(out, "PNG")
        app.quit()

    w.map_view.mapReady.connect(shoot)
    w.set_scenario(load_scenario(resources.default_scenario()), None)
    w.show()
    QTimer.singleShot(90_000, lambda: app.exit(3))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
