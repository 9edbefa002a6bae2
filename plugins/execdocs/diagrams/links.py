"""Node, edge and graph links: which attributes carry one, which URLs may be published.

Used on both sides: the job checks a URL where the script set it (so the error names the
script's line), the parent checks again before anything is cached or embedded (the parent
trusts nothing the job says).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Graphviz attributes that become an ``<a href>`` in SVG output.
LINK_ATTRS = (
    "URL", "href", "labelURL", "labelhref", "headURL", "headhref", "tailURL", "tailhref",
    "edgeURL", "edgehref",
)
HINT = ('links may be http(s) URLs, "#anchor", or paths relative to docs/ '
        '(URL="kubelet.md#kubelet")')
_TOKEN = re.compile(r"execdocs-link-(\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def token(index: int) -> str:
    """The stand-in Graphviz sees for link number ``index`` (no character it would mangle)."""
    return f"execdocs-link-{index}"


def is_token(value: str) -> bool:
    """True for a value made by :func:`token`."""
    return _TOKEN.fullmatch(value) is not None


def token_index(value: str) -> int | None:
    """The link number of a token, or None."""
    found = _TOKEN.fullmatch(value)
    return int(found.group(1)) if found else None


def check_url(url: str) -> str:
    """Why ``url`` may not be published, or "" when it may (http(s), relative, ``#...``)."""
    if not url:
        return "an empty link"
    if _CONTROL.search(url.strip()) or url != url.strip():
        # Browsers strip and ignore these, so "java\tscript:" would still be a script link.
        return "control characters or spaces around or inside a link are not allowed"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme:
        if parts.scheme.lower() not in ("http", "https"):
            return f"the scheme '{parts.scheme}:' is not allowed"
        if not parts.netloc:
            return "an http(s) link needs a host"
        return ""
    if parts.netloc or url.startswith("//"):
        return "a scheme-relative link ('//host') is not allowed: write https://"
    if ":" in parts.path.split("/", 1)[0]:
        return "a colon in the first path segment reads as a scheme"
    return ""
