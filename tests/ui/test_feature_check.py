"""PySide's look at each imported module for "PySide6" answered from the file's bytes
(viewer/ui/qt_app.py, quicker_feature_check): the same answers as PySide's own check."""

import os
import sys

import pytest

from viewer.ui.qt_app import quicker_feature_check


@pytest.fixture
def checks():
    import PySide6.QtCore  # noqa: F401 (PySide's feature module comes with it)

    quicker_feature_check()
    feature = sys.modules["PySide6.support.feature"]
    ours = feature._mod_uses_pyside
    return ours, ours.pyside_check


def test_the_quicker_check_is_installed_once(checks):
    ours, pyside = checks
    quicker_feature_check()
    feature = sys.modules["PySide6.support.feature"]
    assert feature._mod_uses_pyside is ours and pyside is not ours and not hasattr(pyside, "pyside_check")


def test_the_quicker_check_answers_as_pyside_does(checks):
    import json
    import viewer.model.scenario
    import viewer.ui.main_window
    import PySide6.QtWidgets

    ours, pyside = checks
    assert ours(viewer.ui.main_window) is True
    assert ours(viewer.model.scenario) is False and ours(json) is False
    assert ours(PySide6.QtWidgets) is False  # (compiled: no source for PySide to look at either)
    modules = [m for name, m in sorted(sys.modules.items()) if getattr(m, "__file__", None)]
    assert len(modules) > 300
    differ = [m.__name__ for m in modules if ours(m) != pyside(m)]
    assert differ == []


def test_a_start_installs_it_before_pyside_is_first_imported():
    # (the window's start calls make_application before anything has imported PySide6: the check
    # was left out there, and every module the start imported after was read by inspect)
    import subprocess

    code = ("import sys\n"
            "from viewer.ui.qt_app import make_application\n"
            "assert 'PySide6' not in sys.modules\n"
            "app = make_application(['sitmap'])\n"
            "feature = sys.modules['PySide6.support.feature']\n"
            "print(hasattr(feature._mod_uses_pyside, 'pyside_check'))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "True"
