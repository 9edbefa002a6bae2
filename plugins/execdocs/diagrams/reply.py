"""The shape of a render job's reply and of a cache entry, checked in the build process.

A reply comes from a child running user code, a cache entry from disk: neither is trusted.
:func:`payload_problem` says what is wrong with a successful render (the same shape is cached),
:func:`error_of` turns a failure reply into fields safe to print.
"""

from __future__ import annotations

import re
from typing import Any

_HEX64 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rel_path(value: Any) -> bool:
    """A ``.py`` file below the source folder (helpers may have any Python module name)."""
    return isinstance(value, str) and value.endswith(".py") and not value.startswith("/") \
        and not _CONTROL.search(value) and not {"", ".", ".."} & set(value.split("/")[:-1]) \
        and value.split("/")[-1] != ".py"


def _line(value: Any) -> bool:
    return _is_int(value) and value >= 1


def _where_ok(item: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(item, dict) and set(item) == set(keys)


def payload_problem(payload: Any, *, font: str, cached: bool) -> str:
    """What is wrong with a render's payload, or "" when its shape is right.

    A reply lists its helper modules as ``deps`` (path -> sha256); a cache entry holds the
    digests the build process verified as ``inputs``.
    """
    if not isinstance(payload, dict):
        return "not an object"
    digests = "inputs" if cached else "deps"
    want = {"width", "height", "viewbox", "font", "body", "icons", "links", "warnings",
            "script", "line", digests}
    if set(payload) != want:
        missing, extra = sorted(want - set(payload)), sorted(set(payload) - want)
        return f"fields missing {missing}, unexpected {extra}"
    for key in ("width", "height", "viewbox", "body"):
        if not isinstance(payload[key], str):
            return f"{key} is not text"
    if payload["font"] != font:
        return f"font {payload['font']!r} is not the configured {font!r}"
    if not _rel_path(payload["script"]) or not _line(payload["line"]):
        return "script or line"
    icons = payload["icons"]
    if not isinstance(icons, dict) or not all(
        isinstance(k, str) and _where_ok(v, ("w", "h", "uri")) and isinstance(v["uri"], str)
        for k, v in icons.items()
    ):
        return "icons"
    links = payload["links"]
    if not isinstance(links, list) or not all(
        _where_ok(li, ("url", "file", "line")) and isinstance(li["url"], str)
        and _rel_path(li["file"]) and _line(li["line"]) for li in links
    ):
        return "links"
    warnings = payload["warnings"]
    if not isinstance(warnings, list) or not all(
        _where_ok(w, ("text", "file", "line")) and isinstance(w["text"], str)
        and _rel_path(w["file"]) and _line(w["line"]) for w in warnings
    ):
        return "warnings"
    deps = payload[digests]
    if not isinstance(deps, dict) or not all(
        _rel_path(k) and isinstance(v, str) and _HEX64.fullmatch(v) for k, v in deps.items()
    ):
        return digests
    return ""


def error_of(answer: dict[str, Any], name: str) -> dict[str, Any]:
    """A failure reply with every field checked: text where text belongs, a safe location."""
    def text(key: str) -> str:
        value = answer.get(key)
        return value if isinstance(value, str) else ""

    file = answer.get("file")
    line = answer.get("line")
    return {
        "message": text("message") or "the render job failed without saying why",
        "file": file if _rel_path(file) else f"{name}.py",
        "line": line if _line(line) else 1,
        "detail": text("detail"),
        "hint": text("hint"),
    }
