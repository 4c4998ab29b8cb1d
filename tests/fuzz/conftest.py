# The GUI fixtures (a MainWindow with the built-in scenario and the map ready) are the ones the UI
# tests use; importing the module also registers the sitmap: scheme before any QApplication exists.
from tests.ui.conftest import js, settings, window  # noqa: F401
