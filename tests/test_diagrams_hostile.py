"""Hostile links, an unwritable or damaged cache, and a fixed script, in real ``mkdocs build``s;
every published SVG is checked by an allowlist written here, independent of the renderer's."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from diagrams_project import SAMPLE, Project
from execdocs.cli import main

pytestmark = pytest.mark.slow

HEAD = "from diagrams import Diagram, Edge\nfrom diagrams.k8s.compute import Pod\n"
GOOD = (SAMPLE / "diagram_src" / "cluster.py").read_text(encoding="utf-8")
SVG = "{http://www.w3.org/2000/svg}"
# What a published diagram may hold (Graphviz's shapes and text, icon references, links).
ALLOWED = {"svg", "title", "g", "a", "text", "tspan", "polygon", "polyline", "path", "ellipse",
           "use", "defs", "symbol", "image", "style", "linearGradient", "radialGradient", "stop"}


def published_svgs(html: str) -> list[ET.Element]:
    """Every diagram <svg> of a page (the per-page icon sprite included), parsed as XML."""
    chunks = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert chunks, "no svg on the page"
    return [ET.fromstring(chunk) for chunk in chunks]


def assert_inert(root: ET.Element) -> None:
    """No script, no foreign content, no event handler, links only http(s)/relative/#."""
    for el in root.iter():
        tag = el.tag.removeprefix(SVG)
        assert tag in ALLOWED, tag
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (tag, name)
            low = value.strip().lower()
            assert "javascript:" not in low and "foreignobject" not in low, (tag, name, value)
            if name.endswith("href"):
                if tag == "image":
                    assert low.startswith("data:image/png;base64,"), value[:40]
                elif tag == "use":
                    assert low.startswith("#ic-"), value
                else:
                    assert re.match(r"(https?://[^/]|#|[a-z0-9_./-]+\.(html|md)(#|$))", low), value
        if tag == "style":
            assert "url(" not in (el.text or "") and "@import" not in (el.text or "")


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path / "proj")


@pytest.mark.parametrize(("where", "script", "line"), [
    ("node", HEAD + 'with Diagram("x"):\n    Pod("p", URL="javascript:alert(1)")\n', 4),
    ("edge", HEAD + 'with Diagram("x"):\n    Pod("a") >> Edge(URL="JavaScript:alert(1)") '
     '>> Pod("b")\n', 4),
    ("graph", HEAD + 'with Diagram("x",\n        graph_attr={"URL": "javascript:alert(1)"}):\n'
     '    Pod("p")\n', 3),
    ("tab inside the scheme", HEAD + 'with Diagram("x"):\n    Pod("p", href="java\\tscript:x")\n',
     4),
    ("set on the graph afterwards", HEAD + 'import diagrams\nwith Diagram("x"):\n    Pod("p")\n'
     '    diagrams.getdiagram().dot.attr(URL="javascript:alert(1)")\n', 4),
])
def test_script_link_is_an_error_at_its_line(project, where, script, line):
    project.script("cluster", script)
    build = project.build()
    assert build.returncode != 0
    located = [ln for ln in build.log.splitlines() if f"diagram_src/cluster.py:{line}: " in ln]
    assert located, build.log
    assert "diagram 'cluster' failed: link" in located[0], located[0]
    assert "Traceback" not in build.log
    html = build.page()
    assert "dg-cluster-" not in html and "script:alert" not in html.lower()
    assert not [p for p in (project.cache / "entries").glob("*.json")
                if "cluster.py" in p.read_text()]


def _gh_token() -> str:
    import secrets as rnd
    import string
    return "ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(36))


@pytest.mark.parametrize(("body", "line"), [
    ('with Diagram("x"):\n    Pod("GITHUB_TOKEN={token}")\n', None),
    ('with Diagram("x"):\n    Pod("p", URL="https://ci:{token}@git.example.com/")\n', 4),
], ids=["label", "link"])
def test_a_secret_in_a_diagram_is_refused_not_published_or_cached(project, body, line):
    token = _gh_token()
    project.script("cluster", HEAD + body.format(token=token))
    build = project.build()
    assert build.returncode != 0
    at = f"diagram_src/cluster.py:{line}: " if line else "diagram_src/cluster.py:"
    located = [ln for ln in build.log.splitlines() if at in ln and "diagram's text" in ln]
    assert located, build.log
    assert token not in build.log and "Traceback" not in build.log
    assert token not in build.page()
    assert not [p for p in (project.cache / "entries").glob("*.json") if token in p.read_text()]


def test_url_with_ampersand_and_angle_brackets_is_escaped(project, tmp_path, monkeypatch):
    url = "https://example.com/a?x=1&y=<2>&z=\"q\""
    project.script("cluster", HEAD + f'with Diagram("x"):\n    Pod("p", URL={url!r})\n'
                   f'    Pod("a") >> Edge(URL={url!r}) >> Pod("b")\n')
    build = project.build()
    assert build.returncode == 0, build.log
    assert "Traceback" not in build.log
    html = build.page()
    escaped = 'href="https://example.com/a?x=1&amp;y=&lt;2&gt;&amp;z=&quot;q&quot;"'
    assert html.count(escaped) >= 2, re.findall(r'href="https[^"]*"', html)
    for root in published_svgs(html):
        assert_inert(root)
    hrefs = [a.get("href") for root in published_svgs(html) for a in root.iter(SVG + "a")]
    assert url in hrefs  # the XML parser reads back exactly the script's URL
    # the standalone SVG of `execdocs render` is well-formed XML with the same link
    monkeypatch.chdir(project.root)
    assert main(["render", "cluster", "-o", "out"]) == 0
    root = ET.parse(project.root / "out" / "cluster.svg").getroot()
    assert url in [a.get("href") for a in root.iter(SVG + "a")]


def test_every_published_svg_passes_the_allowlist(project):
    build = project.build()
    assert build.returncode == 0, build.log
    for page in ("index.html", "kubelet.html"):
        for root in published_svgs(build.page(page)) if "<svg" in build.page(page) else []:
            assert_inert(root)


def test_every_diagram_of_the_site_passes_the_allowlist(tmp_path, monkeypatch):
    # The real site's scripts, rendered by the CLI into standalone SVG files.
    repo = Path(__file__).resolve().parent.parent
    names = sorted(p.stem for p in (repo / "diagram_src").glob("[!_]*.py"))
    assert len(names) >= 5
    monkeypatch.chdir(repo)
    assert main(["render", *names, "--cache-dir", str(tmp_path / "cache"),
                 "-o", str(tmp_path / "out")]) == 0
    for name in names:
        assert_inert(ET.parse(tmp_path / "out" / f"{name}.svg").getroot())


def _read_only_build(project: Project, folder: Path, strict: bool) -> subprocess.CompletedProcess:
    """``mkdocs build`` with ``folder`` on a read-only mount (a private mount namespace; root
    writes through any mode bits, EROFS stops it). Without root: plain mode bits."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", *(["--strict"] if strict else [])]
    if os.geteuid() == 0:
        cmd = ["unshare", "-m", "sh", "-c",
               'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
               str(folder), *cmd]
    else:
        folder.chmod(0o555)
    return subprocess.run(cmd, cwd=project.root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)


def test_read_only_cache_renders_without_caching_and_warns_once(project):
    cold = project.build()
    assert cold.returncode == 0, cold.log
    cache_root = project.root / ".cache"
    shutil.rmtree(cache_root)
    cache_root.mkdir()
    proc = _read_only_build(project, cache_root, strict=False)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "Traceback" not in log
    assert log.count("Couldn't write the diagram cache") == 1, log
    assert "rendered without caching" in log and "cache_dir" in log
    assert "diagrams: 2 rendered, 0 from cache" in log
    page = (project.root / "site" / "index.html").read_text().replace("\u2060", "")
    assert page == cold.page()
    assert list(cache_root.iterdir()) == []
    strict = _read_only_build(project, cache_root, strict=True)  # a warning: --strict fails
    assert strict.returncode != 0 and "Couldn't write the diagram cache" in strict.stderr
    cache_root.chmod(0o755)


def test_cache_folder_that_cannot_be_made(project):
    (project.root / ".cache").write_text("not a folder")
    build = project.build(strict=False)
    assert build.returncode == 0, build.log
    assert "Traceback" not in build.log
    assert build.log.count("Couldn't write the diagram cache") == 1, build.log
    assert "dg-cluster-figure" in build.page() and "dg-nodes-figure" in build.page()


@pytest.mark.parametrize("damage", ["missing field", "wrong type", "active content"])
def test_entry_of_the_wrong_shape_is_corrupt_and_rendered_again(project, damage):
    first = project.build()
    assert first.returncode == 0, first.log
    for path in sorted((project.cache / "entries").glob("*.json")):
        record = json.loads(path.read_text())
        payload = record["payload"]
        if damage == "missing field":
            del payload["body"]
        elif damage == "wrong type":
            payload["links"] = "kubelet.md"
        else:
            payload["body"] += '<g onclick="alert(1)"/>'
        # a checksum that matches the damaged payload: only the shape check can tell
        from execdocs.diagrams.cache import _entry_text
        path.write_text(_entry_text(payload))
    second = project.build()
    assert second.returncode == 0, second.log
    assert "Traceback" not in second.log and "KeyError" not in second.log
    assert "diagrams: 2 rendered, 0 from cache" in second.log
    assert "corrupt cache entries re-rendered" in second.log
    assert second.page() == first.page()


MUTATOR = (
    "import diagrams\nfrom diagrams import Cluster, Diagram, Edge, Node\n"
    "from diagrams.k8s.compute import Pod\nimport _style\n"
    "Node._height = 9.0\nDiagram._default_graph_attrs['bgcolor'] = 'red'\n"
    "Edge._default_edge_attrs['color'] = 'green'\n"
    "Cluster._default_graph_attrs['bgcolor'] = 'blue'\n"
    "for name in dir(_style):\n"
    "    if name.isupper() and isinstance(getattr(_style, name), dict):\n"
    "        getattr(_style, name)['bgcolor'] = 'red'\n"
    "with Diagram('m'):\n    Pod('m')\n"
)


def test_build_after_a_bad_script_is_fixed_equals_a_cold_build(tmp_path):
    def setup(root: Path, evil: str) -> Project:
        project = Project(root)
        project.script("evil", evil)
        project.page("kubelet.md", (project.root / "docs" / "kubelet.md").read_text()
                     + "\n![악성](diagram:evil)\n")
        return project

    project = setup(tmp_path / "proj", MUTATOR)
    # with one worker, the mutator and the other two run one after another in one worker
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("timeout: 3\n", "timeout: 3\n        workers: 1\n"))
    assert project.build().returncode == 0
    project.script("evil", HEAD + "with Diagram('m'):\n    Pod('고침')\n")
    fixed = project.build()
    assert fixed.returncode == 0, fixed.log
    assert "1 rendered, 2 from cache" in fixed.log  # nobody deleted the cache
    cold = setup(tmp_path / "cold", HEAD + "with Diagram('m'):\n    Pod('고침')\n")
    (cold.root / "mkdocs.yml").write_text(yml.read_text())
    cold_build = cold.build()
    assert cold_build.returncode == 0, cold_build.log
    for page in ("index.html", "kubelet.html"):
        assert fixed.page(page) == cold_build.page(page)
