"""The model and render layers must work without Qt (architecture.md)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_model_and_render_import_no_pyside6():
    code = (
        "import sys, pkgutil, importlib, viewer.model, viewer.render\n"
        "for pkg in (viewer.model, viewer.render):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6') or m.startswith('viewer.ui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_model_imports_no_folium():
    code = (
        "import sys, pkgutil, importlib, viewer.model\n"
        "for m in pkgutil.iter_modules(viewer.model.__path__):\n"
        "    importlib.import_module('viewer.model.' + m.name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('folium', 'branca', 'viewer.render')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
