"""SitMap's KML placemarks after another tool flattened them into columns: GDAL's KML drivers, and so
QGIS, read a placemark's ExtendedData as fields (sitmap_id, sitmap_kind, sitmap_status, ...) beside
their own (Name, description, begin, end, ...); saved as a GeoPackage, GeoJSON or shapefile, they come
to SitMap as a feature's properties. Turned back here into the properties SitMap's own export
writes, so each feature opens as what it was (its id, kind, status, source, notes, ring), not as an
unknown area of the tool's making."""

from __future__ import annotations

from typing import Any, Mapping

from viewer.model.io.common import finite_number, json_text

# GDAL's own fields for a KML placemark (both drivers), not the feature's properties
# SitMap's texts in a placemark's ExtendedData (sitmap_properties JSON, sitmap_vertices): as long
# as SitMap's KML reader takes them, and these columns after GDAL
MAX_MACHINE_CHARS = 1_000_000

GDAL_KML_FIELDS = frozenset(("Name", "name", "Description", "description", "timestamp", "begin", "end",
                             "altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon", "snippet"))


def from_kml_columns(props: Mapping[str, Any]) -> dict[str, Any] | None:
    """The properties SitMap's export gives the feature whose KML fields ``props`` holds (with a
    text ``sitmap_kind``), for the GeoJSON reader to check as any; None: not such a feature."""
    kind = props.get("sitmap_kind")
    if not isinstance(kind, str) or not kind.strip():
        return None
    out: dict[str, Any] = {k: v for k, v in props.items()
                           if isinstance(k, str) and not k.startswith("sitmap_") and k not in GDAL_KML_FIELDS}
    more = props.get("sitmap_properties")
    if isinstance(more, str):  # (as long a text as SitMap's KML reader takes, read as a map's JSON is)
        more = json_text(more, MAX_MACHINE_CHARS)
    from viewer.model.json_read import nests_deeper

    if isinstance(more, dict) and not nests_deeper(more):  # (deeper than a map may hold: not taken)
        out.update({k: v for k, v in more.items() if isinstance(k, str) and k not in out})
    out["kind"] = kind
    status, source = props.get("sitmap_status"), props.get("sitmap_source")
    if isinstance(status, str) and status:
        out["status"] = status
    if isinstance(source, str) and source:
        out["source"] = source
    if isinstance(props.get("sitmap_id"), str) and props["sitmap_id"].strip():
        out["id"] = props["sitmap_id"]
    name = next((props[k] for k in ("Name", "name") if isinstance(props.get(k), str)), None)
    if name and str(props.get("sitmap_named", "true")).lower() != "false":
        out["name"] = name
    description = next((props[k] for k in ("description", "Description") if isinstance(props.get(k), str)), None)
    if description and "notes" not in out:
        from viewer.model.io.kml_description import notes_of_description

        notes = notes_of_description(description, out.get("source"), out.get("status"))
        if notes:
            out["notes"] = notes
    if kind == "range_ring":
        radius, lat, lon = (finite_number(props.get(k)) for k in
                            ("sitmap_radius_m", "sitmap_centre_lat", "sitmap_centre_lon"))
        if radius is not None and lat is not None and lon is not None:
            out["radius_m"], out["centre"] = radius, [lon, lat]  # (the GeoJSON reader makes the ring again)
    return out
