"""A render worker process: runs one diagram script at a time, answers with the finished SVG.

Started by :mod:`execdocs.diagrams.pool` as ``python -m execdocs.diagrams.worker`` and kept
alive across diagrams and ``mkdocs serve`` rebuilds (``import diagrams`` is paid once). Protocol:
one JSON job per line on stdin, one JSON result per line on the original stdout; everything the
user script prints goes nowhere.

Why each patch of the ``diagrams`` library (see STYLE.md, pitfalls):
- node ids are random (``uuid4``) -> counters, so the bytes are the same on every run;
- ``Diagram.__exit__`` renders and deletes files in the cwd, even when the script raised ->
  it only records the finished diagram; the worker runs ``dot`` itself on the recorded source;
- fonts are ``Sans-Serif`` -> the one Hangul font, for layout and in the SVG.
"""

from __future__ import annotations

import copy
import faulthandler
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import diagrams
from diagrams import Cluster, Diagram, Edge, Node

from execdocs.diagrams import svg as svgmod


class ScriptError(Exception):
    """A problem in the user's script, located at ``file:line`` (file relative to src_dir)."""

    def __init__(self, message: str, file: str, line: int, detail: str = ""):
        super().__init__(message)
        self.message, self.file, self.line, self.detail = message, file, line, detail


class _State:
    """What the patched library records while one script runs."""

    def __init__(self, src_dir: Path, script: Path):
        self.src_dir = src_dir
        self.script = script
        self.counter = 0
        self.diagrams: list[tuple[Diagram, int]] = []  # (diagram, line of its `Diagram(...)`)
        self.node_lines: dict[str, tuple[str, int]] = {}  # node id -> where it was created
        self.node_labels: dict[str, str] = {}
        self.write_root: str | None = None  # writes allowed only below this folder


_state: _State | None = None
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _caller_location() -> tuple[str, int]:
    """The innermost frame of the user's code (script or helper in src_dir)."""
    assert _state is not None
    frame = sys._getframe(2)
    root = str(_state.src_dir) + os.sep
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root):
            return os.path.relpath(name, _state.src_dir), frame.f_lineno
        frame = frame.f_back
    return _state.script.name, 1


def _install_patches() -> None:
    """Patch ``diagrams`` once per worker; behaviour depends on the per-job ``_state``."""

    def rand_id() -> str:
        assert _state is not None
        _state.counter += 1
        return f"n{_state.counter}"

    Node._rand_id = staticmethod(rand_id)

    orig_diagram_init = Diagram.__init__

    def diagram_init(self, *args, **kwargs):
        kwargs["show"] = False
        orig_diagram_init(self, *args, **kwargs)
        self._execdocs_line = _caller_location()[1]

    Diagram.__init__ = diagram_init

    def diagram_exit(self, exc_type, exc, tb):
        # Record only a diagram whose block completed: a raising script publishes nothing.
        if exc_type is None and _state is not None:
            _state.diagrams.append((self, self._execdocs_line))
        diagrams.setdiagram(None)

    Diagram.__exit__ = diagram_exit
    Diagram.render = lambda self: None  # the worker runs dot itself

    orig_node_init = Node.__init__

    def node_init(self, *args, **kwargs):
        orig_node_init(self, *args, **kwargs)
        if _state is not None:
            _state.node_lines[self._id] = _caller_location()
            _state.node_labels[self._id] = self.label

    Node.__init__ = node_init


# Class-level defaults a script could mutate; restored before every job so jobs don't leak.
_DEFAULTS = {
    (Diagram, "_default_graph_attrs"): copy.deepcopy(Diagram._default_graph_attrs),
    (Diagram, "_default_node_attrs"): copy.deepcopy(Diagram._default_node_attrs),
    (Diagram, "_default_edge_attrs"): copy.deepcopy(Diagram._default_edge_attrs),
    (Cluster, "_default_graph_attrs"): copy.deepcopy(Cluster._default_graph_attrs),
    (Edge, "_default_edge_attrs"): copy.deepcopy(Edge._default_edge_attrs),
    (Node, "_height"): Node._height,
}


def _reset_defaults(font: str) -> None:
    for (cls, attr), value in _DEFAULTS.items():
        fresh = copy.deepcopy(value)
        if isinstance(fresh, dict) and "fontname" in fresh:
            fresh["fontname"] = font
        setattr(cls, attr, fresh)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Refuse file writes outside the job's scratch folder and new processes, while user code runs.

    Why: a script must not write into docs/ or site/ (or anywhere); its scratch folder is thrown
    away after the job.
    """
    state = _state
    if state is None or state.write_root is None:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        writing = (mode is not None and any(ch in str(mode) for ch in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing:
            _check_write(os.fsdecode(path), state.write_root)
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod", "os.link",
                   "os.symlink", "shutil.rmtree", "shutil.copyfile", "shutil.move"):
        path = args[0]
        if not isinstance(path, int):
            _check_write(os.fsdecode(path), state.write_root)
    elif event in ("os.rename", "os.replace"):
        for path in args[:2]:
            _check_write(os.fsdecode(path), state.write_root)
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                   "os.fork"):
        raise PermissionError("diagram scripts may not start processes (the renderer runs dot)")


def _check_write(path: str, root: str) -> None:
    real = os.path.realpath(path)
    if not (real + os.sep).startswith(root + os.sep):
        raise PermissionError(f"diagram scripts may not write files: {path!r}")


def _forget_helpers(src_dir: Path) -> None:
    """Drop helper modules from sys.modules so an edited helper is read again."""
    root = str(src_dir) + os.sep
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(root):
            del sys.modules[name]


def _helpers_used(src_dir: Path, script: Path) -> list[str]:
    root = str(src_dir) + os.sep
    found = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(root) and Path(file) != script:
            found.add(os.path.relpath(file, src_dir))
    return sorted(found)


def _located_traceback(exc: BaseException, src_dir: Path) -> tuple[str, int, str]:
    """(file, line, short traceback) using only frames from src_dir: no site-packages paths."""
    root = str(src_dir) + os.sep
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(root)
    ]
    if not frames:
        return "", 1, ""
    lines = [
        f"{os.path.relpath(f.filename, src_dir)}:{f.lineno}: {(f.line or '').strip()}"
        for f in frames
    ]
    last = frames[-1]
    return os.path.relpath(last.filename, src_dir), last.lineno or 1, "\n".join(lines)


def render_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run one script and return the post-processed SVG (or the located error)."""
    global _state
    src_dir = Path(job["src_dir"]).resolve()
    script = src_dir / f"{job['name']}.py"
    font: str = job["font"]
    deadline = time.monotonic() + float(job["timeout"])
    rel = script.name
    try:
        raw = script.read_bytes()
        source = raw.decode("utf-8")
    except OSError as exc:
        raise ScriptError(f"Couldn't read the script: {exc.strerror}", rel, 1) from exc
    except UnicodeDecodeError as exc:
        raise ScriptError(f"the script is not UTF-8: {exc}", rel, 1) from exc
    try:
        code = compile(source, str(script), "exec")
    except SyntaxError as exc:
        raise ScriptError(f"SyntaxError: {exc.msg}", rel, exc.lineno or 1,
                          (exc.text or "").rstrip()) from None

    _reset_defaults(font)
    _forget_helpers(src_dir)
    state = _State(src_dir, script)
    scratch = tempfile.mkdtemp(prefix="execdocs-job-")
    state.write_root = os.path.realpath(scratch)
    cwd = os.getcwd()
    sys.path.insert(0, str(src_dir))
    _state = state
    try:
        os.chdir(scratch)
        sink = io.StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            exec(code, {"__name__": "__main__", "__file__": str(script)})
    except BaseException as exc:  # noqa: BLE001 - any failure of user code is reported, located
        state.write_root = None
        file, line, detail = _located_traceback(exc, src_dir)
        raise ScriptError(
            f"{type(exc).__name__}: {exc}", file or rel, line, detail
        ) from None
    finally:
        state.write_root = None
        diagrams.setdiagram(None)
        diagrams.setcluster(None)
        os.chdir(cwd)
        sys.path.remove(str(src_dir))
        shutil.rmtree(scratch, ignore_errors=True)
        _state = None
    deps = _helpers_used(src_dir, script)

    if not state.diagrams:
        raise ScriptError(
            "the script draws nothing: no `with Diagram(...):` block completed", rel, 1
        )
    if len(state.diagrams) > 1:
        lines = ", ".join(str(line) for _, line in state.diagrams)
        raise ScriptError(
            f"the script draws {len(state.diagrams)} diagrams (lines {lines}); "
            "one script renders one diagram", rel, state.diagrams[1][1],
            "split it into one script per diagram",
        )
    diagram, line = state.diagrams[0]
    if not state.node_lines:
        raise ScriptError("the diagram has no nodes: it draws nothing", rel, line)

    dot_source = _force_font(diagram.dot.source, font)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ScriptError(f"timed out after {job['timeout']} s", rel, line)
    try:
        proc = subprocess.run(
            [job["dot"], "-Tsvg"], input=dot_source.encode(), capture_output=True,
            timeout=remaining,
        )
    except subprocess.TimeoutExpired:
        raise ScriptError(f"Graphviz timed out after {job['timeout']} s", rel, line) from None
    dot_err = proc.stderr.decode(errors="replace").strip()
    if proc.returncode != 0:
        raise ScriptError(f"Graphviz failed (exit {proc.returncode})", rel, line, dot_err)
    links = {
        node_id: {"file": where[0], "line": where[1]}
        for node_id, where in state.node_lines.items()
    }
    result = svgmod.postprocess(
        proc.stdout.decode("utf-8"), font=font, icon_px=job["icon_px"], node_where=links
    )
    result["warnings"] = [_locate_warning(w, state, rel, line) for w in dot_err.splitlines()
                          if w.strip()]
    result["script"] = rel
    result["inputs"] = {rel: hashlib.sha256(raw).hexdigest()} | {
        dep: hashlib.sha256((src_dir / dep).read_bytes()).hexdigest() for dep in deps
    }
    result["line"] = line
    return result


_DOT_NODE = re.compile(r"node '(n\d+)'(?:, graph '[^']*')?")


def _locate_warning(text: str, state: _State, script: str, line: int) -> dict[str, Any]:
    """A Graphviz warning, with our node ids replaced by the label and the creating line."""
    found = _DOT_NODE.search(text)
    if found and found.group(1) in state.node_lines:
        file, node_line = state.node_lines[found.group(1)]
        label = state.node_labels.get(found.group(1), "").replace("\n", " ")
        return {"text": _DOT_NODE.sub(f"node {label!r}", text), "file": file, "line": node_line}
    return {"text": text, "file": script, "line": line}


_FONTNAME = re.compile(r'fontname=(?:"(?:[^"\\]|\\.)*"|[^\s,\]]+)')


def _force_font(source: str, font: str) -> str:
    """One font for the whole graph, even where a script set another."""
    return _FONTNAME.sub(f'fontname="{font}"', source)


def main() -> None:
    """Serve jobs until stdin closes."""
    # The protocol owns the real stdout; fd 1 goes to /dev/null so stray prints can't corrupt it.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.dont_write_bytecode = True  # helpers are re-read on every job; never trust a stale .pyc
    import PIL.Image  # noqa: F401 - paid at start, not by the first diagram (icon downscaling)
    _install_patches()
    sys.addaudithook(_audit)
    for raw in sys.stdin:
        job = json.loads(raw)
        tb = None
        if job.get("traceback_file"):
            # On timeout the watchdog dumps where the script was looping, then exits;
            # the pool reads the dump to report the script's line.
            tb = open(job["traceback_file"], "w")  # noqa: SIM115 - lives until the dump
            faulthandler.dump_traceback_later(float(job["timeout"]), exit=True, file=tb)
        started = time.perf_counter()
        try:
            answer = {"ok": True, **render_job(job)}
        except ScriptError as exc:
            answer = {"ok": False, "message": exc.message, "file": exc.file, "line": exc.line,
                      "detail": exc.detail}
        except Exception as exc:  # noqa: BLE001 - a renderer bug must not kill the build silently
            answer = {"ok": False, "message": f"renderer error: {type(exc).__name__}: {exc}",
                      "file": f"{job.get('name')}.py", "line": 1,
                      "detail": traceback.format_exc()}
        finally:
            faulthandler.cancel_dump_traceback_later()
            if tb is not None:
                tb.close()
        # The worker's own time for this job (script + Graphviz + SVG), for the serve benchmark;
        # the renderer takes it out before the payload is cached.
        answer["seconds"] = time.perf_counter() - started
        proto.write(json.dumps(answer) + "\n")
        proto.flush()


if __name__ == "__main__":
    main()
