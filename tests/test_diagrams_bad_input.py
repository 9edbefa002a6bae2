"""Every bad input gets a clear message with file:line, fails --strict, publishes nothing partial
and leaves the cache clean (the fixed script renders on the next build)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from diagrams_project import SAMPLE, Project

pytestmark = pytest.mark.slow

GOOD = (SAMPLE / "diagram_src" / "cluster.py").read_text(encoding="utf-8")
HEAD = "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"

BAD_SCRIPTS = {
    # name: (script, expected line, expected text in the message)
    "syntax error": (HEAD + 'with Diagram("x":\n    Pod("p")\n', 3, "SyntaxError"),
    "exception at line N": (
        HEAD + 'with Diagram("x"):\n    Pod("p")\n    1 / 0\n', 5,
        "ZeroDivisionError: division by zero",
    ),
    "infinite loop": (
        # the last line reached is the loop's head or its body, whichever the timer hit
        HEAD + 'with Diagram("x"):\n    Pod("p")\n    while True:\n        pass\n', (5, 6),
        "timed out after 3.0 s",
    ),
    "draws nothing": (HEAD + "x = 1\n", 1, "the script draws nothing"),
    "two Diagram blocks": (
        HEAD + 'with Diagram("a"):\n    Pod("p")\n\nwith Diagram("b"):\n    Pod("q")\n', 6,
        "the script draws 2 diagrams (lines 3, 6)",
    ),
    "writes files": (
        HEAD + "from pathlib import Path\n"
        'with Diagram("x"):\n    Pod("p")\n'
        '    (Path(__file__).parent.parent / "docs" / "leak.md").write_text("# leak")\n', 6,
        "diagram scripts may not write files",
    ),
    "starts a process": (
        HEAD + "import subprocess\n"
        'with Diagram("x"):\n    Pod("p")\n    subprocess.run(["true"])\n', 6,
        "may not start processes",
    ),
}


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path / "proj")


def _entries(project: Project) -> list[dict]:
    return [
        json.loads(p.read_text())["payload"]
        for p in sorted((project.cache / "entries").glob("*.json"))
    ]


@pytest.mark.parametrize("case", list(BAD_SCRIPTS))
def test_bad_script(project, case):
    script, line, text = BAD_SCRIPTS[case]
    project.script("cluster", script)
    build = project.build()
    assert build.returncode != 0
    # file:line of the script, the message, and the page:line that references it
    lines = line if isinstance(line, tuple) else (line,)
    located = [ln for ln in build.log.splitlines()
               if any(f"diagram_src/cluster.py:{n}: " in ln for n in lines)]
    assert located, build.log
    assert "diagram 'cluster' failed" in located[0] and text in located[0], build.log
    assert "referenced at docs/index.md:8" in build.log
    # nothing partial: no SVG for it, a notice instead; the other diagram still renders
    html = build.page()
    assert "dg-cluster-" not in html
    assert '다이어그램 "cluster"을(를) 그리지 못했습니다' in html
    assert "dg-nodes-figure" in html
    assert not (project.root / "docs" / "leak.md").exists()
    assert not (build.site / "leak.html").exists()
    # the cache holds only the good diagram, and the fixed script renders next time
    assert [e["script"] for e in _entries(project)] == ["nodes.py"]
    project.script("cluster", GOOD)
    fixed = project.build()
    assert fixed.returncode == 0, fixed.log
    assert "diagrams: 1 rendered, 1 from cache" in fixed.log
    assert "dg-cluster-figure" in fixed.page()


def test_not_strict_build_still_publishes_nothing_partial(project):
    project.script("cluster", BAD_SCRIPTS["exception at line N"][0])
    build = project.build(strict=False)
    assert build.returncode == 0
    assert "WARNING" in build.log and "diagram_src/cluster.py:5:" in build.log
    assert "dg-cluster-" not in build.page()


def test_relative_writes_stay_in_a_scratch_folder(project):
    project.script("cluster", HEAD + 'open("out.txt", "w").write("x")\n'
                   'with Diagram("x"):\n    Pod("p")\n')
    build = project.build()
    assert build.returncode == 0, build.log
    assert not list(project.root.rglob("out.txt"))


def test_unknown_diagram_name(project):
    project.page("index.md", "# 홈\n\n본문\n\n![없는 그림](diagram:nosuch)\n")
    build = project.build()
    assert build.returncode != 0
    assert "docs/index.md:5: unknown diagram 'nosuch'" in build.log
    assert "diagram_src/nosuch.py" in build.log
    assert 'src="diagram:nosuch"' not in build.page()


def test_node_link_to_missing_page(project):
    project.script("cluster", HEAD + 'with Diagram("x"):\n    Pod("p")\n'
                   '    Pod("q", URL="nosuch.md#x")\n')
    build = project.build()
    assert build.returncode != 0
    assert ("diagram_src/cluster.py:5: diagram 'cluster': node link 'nosuch.md#x' points to a "
            "page that does not exist") in build.log
    assert "referenced at docs/index.md:8" in build.log


def test_node_link_to_missing_anchor(project):
    project.script("cluster", HEAD + 'with Diagram("x"):\n    Pod("p", URL="kubelet.md#nope")\n')
    build = project.build()
    assert build.returncode != 0
    assert ("diagram_src/cluster.py:4: diagram 'cluster': node link 'kubelet.md#nope': there is "
            "no anchor '#nope' in kubelet.md") in build.log


def test_graphviz_warning_names_the_diagram(project):
    # Orthogonal splines can't place edge labels: Graphviz warns on stderr.
    project.script("cluster", "from diagrams import Diagram, Edge\n"
                   "from diagrams.k8s.compute import Pod\n"
                   'with Diagram("x", curvestyle="ortho"):\n'
                   '    Pod("a") >> Edge(label="l") >> Pod("b")\n')
    build = project.build()
    assert build.returncode != 0
    assert "diagram 'cluster': Graphviz:" in build.log
    assert "diagram_src/cluster.py:3:" in build.log


def test_graphviz_missing_from_path(project, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "fc-list").symlink_to(shutil.which("fc-list"))
    build = project.build(env={"PATH": str(bin_dir)})
    assert build.returncode != 0
    assert "Couldn't find Graphviz: no 'dot' on PATH" in build.log
    assert "apt-get install -y graphviz" in build.log
    assert not (project.root / ".cache").exists()


def _bin_with(tmp_path, **programs):
    """A PATH folder of the named programs: a real one by name, or a stub script's text."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, what in programs.items():
        if what.startswith("#!"):
            (bin_dir / name).write_text(what)
            (bin_dir / name).chmod(0o755)
        else:
            (bin_dir / name).symlink_to(shutil.which(what))
    return str(bin_dir)


def test_a_dot_that_is_not_graphviz(project, tmp_path):
    # dot -V and fc-list run side by side: a failing dot is reported, whatever fc-list says
    path = _bin_with(tmp_path, dot="#!/bin/sh\necho 'not a dot' >&2\nexit 3\n",
                     **{"fc-list": "fc-list"})
    build = project.build(env={"PATH": path})
    assert build.returncode != 0
    assert "'dot -V' failed: not a dot" in build.log.replace(path + "/", "")
    assert "apt-get install -y graphviz" in build.log and "Traceback" not in build.log


def test_fontconfig_missing_from_path(project, tmp_path):
    build = project.build(env={"PATH": _bin_with(tmp_path, dot="dot")})
    assert build.returncode != 0
    assert "no 'fc-list' (fontconfig) on PATH" in build.log and "Traceback" not in build.log


def test_no_hangul_font(project, tmp_path):
    # A fontconfig that knows no fonts at all: the machine without fonts-nanum.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{tmp_path / 'nofonts'}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    build = project.build(env={"FONTCONFIG_FILE": str(conf)})
    assert build.returncode != 0
    assert "Couldn't find the Hangul font 'NanumGothic'" in build.log
    assert "fonts-nanum" in build.log


def test_corrupt_cache_entry_is_rendered_again(project):
    first = project.build()
    assert first.returncode == 0, first.log
    entries = sorted((project.cache / "entries").glob("*.json"))
    assert len(entries) == 2
    # one truncated, one valid JSON with an edited payload
    entries[0].write_text(entries[0].read_text()[:100])
    edited = json.loads(entries[1].read_text())
    edited["payload"]["body"] = "<g/>"
    entries[1].write_text(json.dumps(edited))
    second = project.build()
    assert second.returncode == 0, second.log
    assert "diagrams: 2 rendered, 0 from cache" in second.log
    assert "corrupt cache entries re-rendered" in second.log
    assert second.page() == first.page()


def test_two_concurrent_builds_share_one_cache(tmp_path):
    shared = tmp_path / "shared-cache"
    projects = [Project(tmp_path / f"p{i}") for i in range(2)]
    for project in projects:
        yml = project.root / "mkdocs.yml"
        yml.write_text(yml.read_text().replace(
            "        timeout: 3\n", f"        timeout: 3\n        cache_dir: {shared}\n"))
    procs = [
        subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=p.root,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for p in projects
    ]
    logs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], logs
    pages = [(p.root / "site" / "index.html").read_text() for p in projects]
    assert pages[0] == pages[1]
    # every entry in the shared cache is whole, and a third build is served from it
    for entry in (shared / "entries").glob("*.json"):
        json.loads(entry.read_text())
    assert not list(Path(shared).rglob(".tmp-*"))
    # Each build trusts only cache files it wrote or found unchanged when it began
    # (diagrams/cache.py): the other's writes may be dropped and drawn once more, never used
    # unseen. The next build is correct, and the one after it is served from the cache alone.
    third = projects[0].build()
    assert third.returncode == 0, third.log
    fourth = projects[0].build()
    assert "diagrams: 0 rendered, 2 from cache" in fourth.log
    assert third.page() == pages[0]
