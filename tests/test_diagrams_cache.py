"""The cache: a hit runs no user code; a script or helper edit re-renders only what it affects."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from execdocs.diagrams.render import DiagramRenderer, Settings

pytestmark = pytest.mark.slow

HELPER = 'LABEL = "{}"\n'
SCRIPT = (
    "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n{imp}"
    "with Diagram('x'):\n    Pod({label})\n"
)


@pytest.fixture
def src(tmp_path) -> Path:
    src = tmp_path / "diagram_src"
    src.mkdir()
    (src / "_helper.py").write_text(HELPER.format("도움"))
    (src / "uses.py").write_text(SCRIPT.format(imp="from _helper import LABEL\n", label="LABEL"))
    (src / "plain.py").write_text(SCRIPT.format(imp="", label="'혼자'"))
    return src


def _renderer(tmp_path, src) -> DiagramRenderer:
    return DiagramRenderer(Settings(tmp_path, src, tmp_path / "cache", timeout=20, workers=1,
                                    font="NanumGothic", memory_mb=2048))


def _build(renderer) -> dict[str, bool]:
    """Render both diagrams once; name -> served from cache."""
    renderer.begin_build()
    for name in ("uses", "plain"):
        renderer.request(name)
    return {name: renderer.outcome(name).from_cache for name in ("uses", "plain")}


def test_a_warm_build_starts_no_worker(tmp_path, src):
    cold = _renderer(tmp_path, src)
    try:
        assert _build(cold) == {"uses": False, "plain": False}
        assert cold.pool.started == 1
        assert (cold.state.lookups, cold.state.submitted) == (2, 2)
        # the worker reports its own time for the serve benchmark; it is not part of the payload
        assert cold.state.render_s > 0
        assert "seconds" not in cold.outcome("uses").payload
        body = cold.outcome("uses").payload["body"]
    finally:
        cold.close()
    warm = _renderer(tmp_path, src)  # a new process would see the same: only the disk cache
    try:
        assert _build(warm) == {"uses": True, "plain": True}
        # user code only ever runs in a worker, and none was started
        assert warm.pool.started == 0
        assert (warm.state.lookups, warm.state.submitted, warm.state.render_s) == (2, 0, 0.0)
        assert warm.outcome("uses").payload["body"] == body
        assert warm.outcome("uses").payload["inputs"].keys() == {"uses.py", "_helper.py"}
    finally:
        warm.close()


def test_edits_invalidate_only_what_they_touch(tmp_path, src):
    renderer = _renderer(tmp_path, src)
    try:
        _build(renderer)
        assert _build(renderer) == {"uses": True, "plain": True}
        # a helper edit re-renders its importer only
        (src / "_helper.py").write_text(HELPER.format("바뀐 도움"))
        assert _build(renderer) == {"uses": False, "plain": True}
        assert "바뀐 도움" in renderer.outcome("uses").payload["body"]
        # a script edit re-renders that script only
        (src / "plain.py").write_text(SCRIPT.format(imp="", label="'고친 그림'"))
        assert _build(renderer) == {"uses": True, "plain": False}
        assert "고친 그림" in renderer.outcome("plain").payload["body"]
        # one lookup per diagram and one job, by the worker already running
        assert (renderer.state.lookups, renderer.state.submitted) == (2, 1)
        assert renderer.pool.started == 1
        # going back to an earlier helper is a hit again (content-addressed)
        (src / "_helper.py").write_text(HELPER.format("도움"))
        assert _build(renderer) == {"uses": True, "plain": True}
    finally:
        renderer.close()


def test_page_reference_index_follows_the_page_and_survives_damage(tmp_path, src):
    renderer = _renderer(tmp_path, src)
    try:
        page = "# 제목\n\n![그림](diagram:nosuch)\n"
        assert [p.line for p in renderer.add_page("docs/a.md", page)] == [3]
        renderer.finish({})
        index = tmp_path / "cache" / "refs.json"
        assert index.exists()
        # the same bytes again: served from the index without scanning, same answer
        renderer.begin_build()
        with mock.patch("execdocs.diagrams.render.find_all", side_effect=AssertionError):
            assert [p.line for p in renderer.add_page("docs/a.md", page)] == [3]
        # doubts (a reference Python-Markdown will not draw) come from the index too
        doubtful = "# t\n\n![a][ref]\n\n[ref]: diagram:nosuch\n"
        first = [(p.line, p.message[:20]) for p in renderer.add_page("docs/b.md", doubtful)]
        assert first and first[0][0] == 5
        renderer.finish({})
        renderer.begin_build()
        with mock.patch("execdocs.diagrams.render.find_all", side_effect=AssertionError):
            again = [(p.line, p.message[:20]) for p in renderer.add_page("docs/b.md", doubtful)]
        assert again == first
        # an edited page is parsed again (the index is keyed by the page's bytes)
        moved = "# 제목\n\n본문\n\n![그림](diagram:nosuch)\n"
        assert [p.line for p in renderer.add_page("docs/a.md", moved)] == [5]
        renderer.finish({})
    finally:
        renderer.close()
    # a damaged index is ignored, not trusted
    index.write_text(index.read_text()[:20])
    fresh = _renderer(tmp_path, src)
    try:
        assert [p.line for p in fresh.add_page("docs/a.md", moved)] == [5]
    finally:
        fresh.close()


def test_an_entry_file_is_the_whole_record_dumped_and_is_read_back_only_intact(tmp_path):
    """An entry is written as the record {"payload", "sha256"} dumped whole used to be (the
    same bytes, so entries of either version read alike) and read by hashing the payload's
    stored text; a damaged file of any kind is no payload (the caller renders again)."""
    import hashlib
    import json

    from execdocs.diagrams.cache import _entry_text, _load_entry

    payload = {"body": '<text fill="currentColor">컨트롤 플레인 "q" \\ é</text>',
               "icons": {"ic-0123456789abcdef": {"w": 1, "h": 2, "sha256": "0" * 64}},
               "links": [], "width": "10pt", "line": 3, "inputs": {"a.py": "f" * 64}}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False)
                            .encode()).hexdigest()
    whole = json.dumps({"sha256": digest, "payload": payload}, sort_keys=True,
                       ensure_ascii=False)
    text = _entry_text(payload)
    assert text == whole
    path = tmp_path / "e.json"
    path.write_text(text, encoding="utf-8")
    assert _load_entry(path) == payload
    damaged = {
        "truncated": text[:-1],
        "a byte of the payload changed": text.replace("컨트롤", "컨트룰"),
        "another digest": text.replace(digest, "1" * 64),
        "a field beside the payload": text[:-1] + ', "x": 1}',
        "the payload re-spelled ASCII-escaped, its digest kept":
            json.dumps({"sha256": digest, "payload": payload}, sort_keys=True),
        "not JSON at all, right frame": '{"payload": nope, "sha256": "'
            + hashlib.sha256(b"nope").hexdigest() + '"}',
        "a list with its digest": '{"payload": [1], "sha256": "'
            + hashlib.sha256(b"[1]").hexdigest() + '"}',
        "empty": "",
    }
    for why, bad in damaged.items():
        path.write_text(bad, encoding="utf-8")
        assert _load_entry(path) is None, why
    path.write_bytes(b"\xff" + text.encode())
    assert _load_entry(path) is None
    assert _load_entry(tmp_path / "missing.json") is None
