"""Build hook only (metadata is in pyproject.toml): the wheel carries the top-level ``resources/``
folder as ``viewer/_resources`` so an installed SitMap finds its scenarios, page scripts, styles,
icons and basemap data wherever it is started. viewer/resources.py looks there first."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    def run(self):
        super().run()
        src = HERE / "resources"
        if not (src / "scenarios").is_dir():
            raise SystemExit(f"setup.py: {src} is missing; build from a full checkout or sdist")
        dst = Path(self.build_lib) / "viewer" / "_resources"
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithResources})
