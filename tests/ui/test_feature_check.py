"""PySide's look at each imported module for "PySide6" answered from the file's bytes
(viewer/ui/qt_app.py, quicker_feature_check): the same answers as PySide's own check."""

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
