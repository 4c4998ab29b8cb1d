"""JSON that is safe to place inside a <script> element or pass to runJavaScript."""

from __future__ import annotations

import json
from typing import Any


def safe_json(obj: Any) -> str:
    """It can never close the element or open a comment, whatever text it carries."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
