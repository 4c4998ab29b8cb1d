"""SitMap: an offline desktop situation-map viewer."""

__version__ = "0.1.0"
