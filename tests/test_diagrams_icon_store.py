"""Icons stored once in the cache (content-addressed), with the real worker and real Graphviz.

An entry names its icons by the sha256 of their data URI; ``icons/<sha256>.txt`` holds the URI.
A missing or damaged icon file, or an entry from before the icon store, means the diagram is
rendered again (and the icon written again), never a page without its icon.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from execdocs.diagrams import env as envmod
from execdocs.diagrams.cache import _entry_text
from execdocs.diagrams.render import DiagramRenderer, Settings

pytestmark = pytest.mark.slow

SCRIPT = "from diagrams import Diagram\n{imports}\nwith Diagram('x'):\n{nodes}\n"
POD = "from diagrams.k8s.compute import Pod"
API = "from diagrams.k8s.controlplane import API"
DEPLOY = "from diagrams.k8s.compute import Deploy"


def _script(*nodes: tuple[str, str]) -> str:
    return SCRIPT.format(imports="\n".join(imp for imp, _ in nodes),
                         nodes="\n".join(f"    {cls}('{cls} 노드')" for _, cls in nodes))


@pytest.fixture
def src(tmp_path) -> Path:
    src = tmp_path / "diagram_src"
    src.mkdir()
    # both draw the Pod icon; b also the API server's
    (src / "a.py").write_text(_script((POD, "Pod")))
    (src / "b.py").write_text(_script((POD, "Pod"), (API, "API")))
    return src


def _settings(tmp_path: Path, src: Path, cache: str = "cache") -> Settings:
    return Settings(tmp_path, src, tmp_path / cache, timeout=20, workers=1,
                    font="NanumGothic", memory_mb=2048)


def _build(tmp_path: Path, src: Path, cache: str = "cache"):
    """One build in a new renderer (as a new `mkdocs build` process would be):
    name -> (payload, from cache), and the summary line."""
    renderer = DiagramRenderer(_settings(tmp_path, src, cache))
    try:
        renderer.begin_build()
        for name in ("a", "b"):
            renderer.request(name)
        out = {n: (renderer.outcome(n).payload, renderer.outcome(n).from_cache) for n in "ab"}
        assert all(p is not None for p, _ in out.values()), renderer.summary()
        renderer.finish({})
        return out, renderer.summary()
    finally:
        renderer.close()


def _icon_files(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (tmp_path / "cache" / "icons").glob("*.txt")}


def test_two_diagrams_sharing_an_icon_store_it_once(tmp_path, src):
    cold, _ = _build(tmp_path, src)
    pod = set(cold["a"][0]["icons"])
    assert len(pod) == 1 and pod < set(cold["b"][0]["icons"]) and len(cold["b"][0]["icons"]) == 2
    # two distinct icons: two files, each named by the sha256 of the data URI it holds
    files = _icon_files(tmp_path)
    uris = {i["uri"] for p, _ in cold.values() for i in p["icons"].values()}
    assert sorted(files.values()) == sorted(u.encode() for u in uris)
    # no entry carries icon data any more
    for entry in (tmp_path / "cache" / "entries").glob("*.json"):
        assert "data:image" not in entry.read_text()
    warm, summary = _build(tmp_path, src)
    assert summary == "diagrams: 0 rendered, 2 from cache"
    assert {n: p for n, (p, _) in warm.items()} == {n: p for n, (p, _) in cold.items()}


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_a_damaged_icon_file_means_render_again(tmp_path, src, damage):
    cold, _ = _build(tmp_path, src)
    pod_uri = next(iter(cold["a"][0]["icons"].values()))["uri"]
    icon = next(p for p in (tmp_path / "cache" / "icons").glob("*.txt")
                if p.read_text() == pod_uri)
    if damage == "corrupt":
        icon.write_text(pod_uri[:-8] + "AAAAAAA=")  # still a valid-looking PNG data URI
    else:
        icon.unlink()
    again, summary = _build(tmp_path, src)
    # both diagrams draw the Pod icon: both are drawn again, and say why
    assert [again[n][1] for n in "ab"] == [False, False]
    assert "corrupt cache entries re-rendered: a, b" in summary, summary
    assert {n: p for n, (p, _) in again.items()} == {n: p for n, (p, _) in cold.items()}
    assert icon.read_text() == pod_uri  # written again by the render
    warm, summary = _build(tmp_path, src)
    assert summary == "diagrams: 0 rendered, 2 from cache"


def test_entries_of_an_older_renderer_are_not_trusted(tmp_path, src):
    with mock.patch.object(envmod, "RENDERER_VERSION", "6"):
        old, _ = _build(tmp_path, src)
    # another renderer version is another key: nothing of the old build is served
    new, summary = _build(tmp_path, src)
    assert summary == "diagrams: 2 rendered, 0 from cache"
    assert {n: p for n, (p, _) in new.items()} == {n: p for n, (p, _) in old.items()}
    # an entry in the old format (icons inline, its checksum right) under the current key
    # is corrupt: drawn again, never embedded from the file
    for path in (tmp_path / "cache" / "entries").glob("*.json"):
        record = json.loads(path.read_text())
        payload = record["payload"]
        name = payload["script"].removesuffix(".py")
        if payload["inputs"] and name in new:
            payload["icons"] = new[name][0]["icons"]
            path.write_text(_entry_text(payload))  # its checksum right
    again, summary = _build(tmp_path, src)
    assert "diagrams: 2 rendered, 0 from cache" in summary
    assert "corrupt cache entries re-rendered: a, b" in summary, summary
    assert {n: p for n, (p, _) in again.items()} == {n: p for n, (p, _) in new.items()}


def test_one_diagram_changing_its_icon_leaves_the_other_cached(tmp_path, src):
    cold, _ = _build(tmp_path, src)
    (src / "a.py").write_text(_script((DEPLOY, "Deploy")))
    edited, summary = _build(tmp_path, src)
    assert summary == "diagrams: 1 rendered, 1 from cache"
    assert [edited[n][1] for n in "ab"] == [False, True]
    assert edited["b"][0] == cold["b"][0]  # its icons (the Pod's too) still whole
    deploy = set(edited["a"][0]["icons"])
    assert len(deploy) == 1 and not deploy & set(cold["b"][0]["icons"])
    assert len(_icon_files(tmp_path)) == 3  # Pod (still used by b), API, Deploy
    # the result equals a cold render of the edited scripts in an empty cache
    fresh, _ = _build(tmp_path, src, cache="cache-cold")
    assert {n: p for n, (p, _) in fresh.items()} == {n: p for n, (p, _) in edited.items()}
