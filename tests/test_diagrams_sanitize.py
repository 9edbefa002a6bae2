"""The SVG allowlist and the link rule, on real Graphviz output with hostile additions.

The hostile pieces follow the usual SVG script-injection families (script and foreign content,
event handlers, animation that rewrites a link, external references through use/image/url(),
entities and DTDs, namespace and case tricks, encoded schemes); written here for this test.
"""

from __future__ import annotations

import base64
import copy
import shutil
import subprocess

import pytest
from execdocs.diagrams import links, sanitize
from execdocs.diagrams.svg import postprocess

PNG_1PX = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)).decode()


@pytest.fixture(scope="module")
def payload() -> dict:
    dot = shutil.which("dot")
    assert dot, "Graphviz's dot is needed (scripts/setup.sh installs it)"
    raw = subprocess.run(
        [dot, "-Tsvg"], capture_output=True, text=True, check=True,
        input='digraph { a [URL="execdocs-link-0" tooltip="t"]; '
              'a -> b [label="간선"]; c [shape=box style=filled fillcolor="red:blue"] }',
    ).stdout
    out = postprocess(raw, font="NanumGothic", icon_px=64,
                      links=[{"url": "kubelet.md#role", "file": "x.py", "line": 3}])
    out.pop("icon_paths")
    out["icons"] = {"ic-0123456789abcdef": {"w": 1, "h": 1, "uri": "data:image/png;base64,"
                                            + PNG_1PX}}
    out["body"] += '<use href="#ic-0123456789abcdef" x="1" y="2" width="3" height="4"/>'
    return out


def test_graphviz_output_passes(payload):
    sanitize.check(payload)  # gradients, links, text, polygons, the icon reference


HOSTILE_BODY = {
    "script element": "<script>alert(1)</script>",
    "script in a group": "<g><script href='x.js'/></g>",
    "foreignObject": "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div>"
                     "</foreignObject>",
    "onload": '<g onload="alert(1)"/>',
    "onclick, upper case": '<text ONCLICK="alert(1)">t</text>',
    "animate rewriting href": '<a href="@@L0@@"><set attributeName="href" to="javascript:x"/></a>',
    "animate element": '<animate attributeName="fill" to="red"/>',
    "use of an external file": '<use href="https://evil.example/s.svg#a"/>',
    "use of another id": '<use href="#dg-other-node1"/>',
    "xlink:href on use":
        '<use xmlns:x="http://www.w3.org/1999/xlink" x:href="#ic-0123456789abcdef"/>',
    "image element": '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>',
    "external url() fill": '<path fill="url(https://evil.example/x.svg#g)" d="M0 0"/>',
    "url() with javascript": "<path fill=\"url('javascript:alert(1)')\" d=\"M0 0\"/>",
    "style attribute": '<g style="background:url(https://evil.example/t)"/>',
    "style with an expression": '<stop style="stop-color:expression(alert(1))"/>',
    "style with an unknown property": '<stop style="behavior:x"/>',
    "style element": "<style>@import url(https://evil.example/x.css);</style>",
    "a href not a link token": '<a href="javascript:alert(1)"><text>x</text></a>',
    "a href token out of range": '<a href="@@L7@@"><text>x</text></a>',
    "entity reference DTD": '<!DOCTYPE x [<!ENTITY e "boom">]><text>&e;</text>',
    "comment": "<!-- <script>alert(1)</script> -->",
    "processing instruction": '<?xml-stylesheet href="https://evil.example/x.css"?>',
    "element of another namespace": "<h:p xmlns:h='http://www.w3.org/1999/xhtml'>x</h:p>",
    "iframe": "<iframe src='https://evil.example'/>",
    "xml:base": '<g xml:base="https://evil.example/"/>',
    "unclosed markup": "<g><text>x</g>",
    "encoded javascript in an attribute": '<text class="&#106;avascript:alert(1)">x</text>',
    # the attribute check's fast path (no "(" and no ":" -> nothing to look at) must not let
    # these through in any case
    "expression() in a presentation attribute": '<path fill="ExPrEsSiOn(alert(1))" d="M0 0"/>',
    "javascript: in a presentation attribute, upper case": '<text class="JAVASCRIPT:x">x</text>',
}


@pytest.mark.parametrize("case", list(HOSTILE_BODY))
def test_hostile_body_is_refused(payload, case):
    bad = copy.deepcopy(payload)
    bad["body"] += HOSTILE_BODY[case]
    with pytest.raises(sanitize.UnsafeSVG):
        sanitize.check(bad)


@pytest.mark.parametrize(("field", "value"), [
    ("icons", {"ic-0123456789abcdef": {"w": 1, "h": 1,
                                       "uri": "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="}}),
    ("icons", {"ic-0123456789abcdef": {"w": 1, "h": 1, "uri": "https://evil.example/i.png"}}),
    ("icons", {"ic-0123456789abcdef": {"w": 1, "h": 1,
                                       "uri": "data:image/png;base64,PHNjcmlwdD4="}}),
    ("icons", {'x" onload="alert(1)': {"w": 1, "h": 1, "uri": "data:image/png;base64,"}}),
    ("width", '10pt" onload="alert(1)'),
    ("viewbox", "0 0 10 10\" onload=\"x"),
    ("links", [{"url": "javascript:alert(1)", "file": "x.py", "line": 3}]),
])
def test_hostile_fields_are_refused(payload, field, value):
    bad = copy.deepcopy(payload)
    bad[field] = value
    if field == "icons":
        bad["body"] = bad["body"].replace("#ic-0123456789abcdef", f"#{next(iter(value))}")
    with pytest.raises(sanitize.UnsafeSVG):
        sanitize.check(bad)


@pytest.mark.parametrize(("url", "allowed"), [
    ("kubelet.md#role", True), ("#anchor", True), ("../a/b.md", True),
    ("https://kubernetes.io/docs/?a=1&b=<2>", True), ("http://example.com", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), (" javascript:x", False),
    ("java\tscript:x", False), ("java\nscript:x", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("file:///etc/passwd", False), ("//evil.example/x", False),
    ("mailto:a@b", False), ("https:", False), ("", False), ("a:b/c", False),
])
def test_link_rule(url, allowed):
    assert (links.check_url(url) == "") is allowed, links.check_url(url)
