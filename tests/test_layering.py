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


def test_no_module_imports_another_packages_private_names():
    """`from viewer.x.y import _name` is allowed only within viewer.x (the package's own business)."""
    import ast

    offenders = []
    for path in (ROOT / "viewer").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        package = module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("viewer"):
                imported_package = node.module.rsplit(".", 1)[0] if node.module.count(".") > 1 else node.module
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private and imported_package != package:
                    offenders.append(f"{module}: from {node.module} import {', '.join(private)}")
    assert offenders == []


def test_import_contracts_hold():
    """lint-imports (the layers, no cycles, no Qt below ui) also runs in the test command itself."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 broken" in out.stdout
