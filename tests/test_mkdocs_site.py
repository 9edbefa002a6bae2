"""The site adapter at the MkDocs boundary: plugin order, index mode, a broken index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from execdocs.mkdocs.config import SiteConfig
from execdocs.mkdocs.site import SiteAdapter
from mkdocs.exceptions import PluginError


def _adapter(language: str = "ko", **options) -> SiteAdapter:
    adapter = SiteAdapter()
    config = SiteConfig()
    config.load_dict(options)
    assert config.validate() == ([], [])
    adapter.options = config
    adapter.on_config(SimpleNamespace(theme={"language": language}, config_file_path=None))
    return adapter


@pytest.mark.slow
@pytest.mark.parametrize("plugins", [["execdocs", "offline", "search"],
                                     ["search", "offline", "execdocs"]])
def test_plugin_order_does_not_matter_for_the_korean_index(tmp_path: Path, plugins) -> None:
    # execdocs rewrites the index after search wrote it and before offline packs it into
    # search_index.js, whatever the order of `plugins:` (event priorities, not list order).
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 고가용성\n\n컨테이너를 실행\n",
                                                encoding="utf-8")
    listed = "".join(f"  - {name}\n" for name in plugins)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nuse_directory_urls: false\ntheme:\n  name: material\n  font: false\n"
        "  language: ko\nplugins:\n" + listed, encoding="utf-8")
    old_umask = os.umask(0o022)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=tmp_path, capture_output=True, text=True, check=False,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    finally:
        os.umask(old_umask)
    assert proc.returncode == 0, proc.stderr
    index = tmp_path / "site" / "search" / "search_index.json"
    assert json.loads(index.read_text(encoding="utf-8"))["docs"][0]["ko_title"] == "가용성 용성"
    assert index.stat().st_mode & 0o777 == 0o644  # readable by a web server of another user
    packed = (tmp_path / "site" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert "ko_title" in packed  # the file:// search gets the Korean index too


# Builds each mkdocs.yml given in-process, with the site adapter's two cores behind a recorder: it
# prints, per site, which of their functions the build used (JSON), so a feature that runs
# where it should not is seen even when its output happens to be unchanged.
_RECORDED_BUILDS = """
import json, sys
import execdocs.site as adapter  # the adapter imports each core from here when it needs it
import execdocs.site.korean_search, execdocs.site.word_joiner
from mkdocs.commands.build import build
from mkdocs.config import load_config

class Recorder:
    def __init__(self, module):
        self.module, self.used = module, []
    def __getattr__(self, name):
        self.used.append(f"{self.module.__name__}.{name}")
        return getattr(self.module, name)

modules = adapter.korean_search, adapter.word_joiner
for path in sys.argv[1:]:
    adapter.korean_search, adapter.word_joiner = search, joiner = list(map(Recorder, modules))
    cfg = load_config(path, strict=True)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    print(json.dumps(search.used + joiner.used))
"""


@pytest.mark.slow
def test_an_english_site_keeps_materials_search_and_text(tmp_path: Path) -> None:
    # Issue 13: the Korean features stay off (and cost nothing) unless the site is Korean.
    # The same pages built as a Korean site show that the recorder sees the features run.
    sites = []
    for language in ("en", "ko"):
        root = tmp_path / language
        (root / "docs").mkdir(parents=True)
        (root / "docs" / "index.md").write_text(
            "# Runtime (containerd)\n\nPods run. 런타임(containerd)과 컨트롤 플레인\n",
            encoding="utf-8")
        (root / "mkdocs.yml").write_text(
            f"site_name: t\ntheme:\n  name: material\n  font: false\n  language: {language}\n"
            "plugins:\n  - search\n  - execdocs\n", encoding="utf-8")
        sites.append(root)
    proc = subprocess.run(
        [sys.executable, "-c", _RECORDED_BUILDS, *(str(r / "mkdocs.yml") for r in sites)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    used_en, used_ko = (json.loads(line) for line in proc.stdout.splitlines()[-2:])
    assert used_en == []  # neither module touched: no index read, no page scanned
    assert "execdocs.site.korean_search.augment_index" in used_ko
    assert "execdocs.site.word_joiner.join" in used_ko

    en = sites[0] / "site"
    index = json.loads((en / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["separator"] == "[\\s\\-]+"  # Material's default, untouched
    assert "ko_title" not in index["docs"][0]
    assert "\u2060" not in (en / "index.html").read_text(encoding="utf-8")
    assert "\u2060" in (sites[1] / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_site_without_diagrams_needs_no_graphviz_and_no_font(tmp_path: Path) -> None:
    # PATH without /usr/bin: no dot and no fc-list, as on a machine without Graphviz.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nNo diagrams here.\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "  - execdocs\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)}
    build = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    proc = subprocess.run(build, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Graphviz" not in proc.stderr and "font" not in proc.stderr
    # the same machine, once a page names a diagram: the missing Graphviz stops the build
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n![c](diagram:cluster)\n", "utf-8")
    proc = subprocess.run(build, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode != 0
    assert "diagrams:" in proc.stdout + proc.stderr and "dot" in proc.stdout + proc.stderr


def test_broken_search_index_is_a_plugin_error_naming_the_file(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    index.write_text('{"config": ', encoding="utf-8")
    with pytest.raises(PluginError, match="search_index.json"):
        _adapter().on_post_build(config=SimpleNamespace(site_dir=str(tmp_path)))
    assert index.read_text(encoding="utf-8") == '{"config": '  # left as it was


def test_rewrites_the_index_and_can_be_switched_off(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    original = {"config": {"separator": "[\\s\\-]+", "fields": {}},
                "docs": [{"location": "a.html", "title": "고가용성", "text": ""}]}
    index.write_text(json.dumps(original), encoding="utf-8")
    config = SimpleNamespace(site_dir=str(tmp_path))

    _adapter(korean_search=False).on_post_build(config=config)
    assert json.loads(index.read_text(encoding="utf-8")) == original

    _adapter().on_post_build(config=config)
    rewritten = json.loads(index.read_text(encoding="utf-8"))
    assert rewritten["docs"][0]["ko_title"] == "가용성 용성"
    assert list(index.parent.iterdir()) == [index]  # no temporary file left behind


def test_no_search_plugin_no_index_nothing_to_do(tmp_path: Path) -> None:
    _adapter().on_post_build(config=SimpleNamespace(site_dir=str(tmp_path)))
    assert not (tmp_path / "search").exists()
