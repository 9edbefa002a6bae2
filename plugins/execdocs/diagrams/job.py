"""One render job, run inside a freshly forked child of the warm worker (see ``worker.py``).

The child runs the user's script with the patched ``diagrams`` library, runs ``dot`` on the
recorded source and post-processes the SVG; then it dies, so nothing the script changed (library
globals, modules, the cwd, threads) reaches another diagram.

Why each patch of the ``diagrams`` library (each a pitfall found in the library):
- node ids are random (``uuid4``) -> counters, so the bytes are the same on every run;
- ``Diagram.__exit__`` renders and deletes files in the cwd, even when the script raised ->
  it only records the finished diagram; the job runs ``dot`` itself on the recorded source;
- fonts are ``Sans-Serif`` -> the one Hangul font, for layout and in the SVG;
- link attributes (``URL``, ``href``, ...) -> a token per link: Graphviz writes a raw ``&`` or
  ``<`` from a URL into the SVG (unparsable), so the real URL never reaches Graphviz; the
  scheme is checked where the script set it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.util
import io
import os
import re
import subprocess
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import FrameType
from typing import Any

import diagrams
from diagrams import Cluster, Diagram, Edge, Node

from execdocs.diagrams import links as linkmod
from execdocs.diagrams import svg as svgmod


class ScriptError(Exception):
    """A problem in the user's script, located at ``file:line`` (file relative to src_dir)."""

    def __init__(self, message: str, file: str, line: int, detail: str = "", hint: str = ""):
        super().__init__(message)
        self.message, self.file, self.line, self.detail, self.hint = (
            message, file, line, detail, hint)


class _State:
    """What the patched library records while one script runs."""

    def __init__(self, src_dir: Path, script: Path):
        self.src_dir = src_dir
        self.script = script
        self.counter = 0
        self.diagrams: list[tuple[Diagram, int]] = []  # (diagram, line of its `Diagram(...)`)
        self.node_lines: dict[str, tuple[str, int]] = {}  # node id -> where it was created
        self.node_labels: dict[str, str] = {}
        self.links: list[dict[str, Any]] = []  # token index -> {"url", "file", "line"}
        self.write_root: str | None = None  # the accident guard is on while this is set


_state: _State | None = None
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _caller_location() -> tuple[str, int]:
    """The innermost frame of the user's code (script or helper in src_dir)."""
    assert _state is not None
    frame: FrameType | None = sys._getframe(2)
    root = str(_state.src_dir) + os.sep
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root):
            return os.path.relpath(name, _state.src_dir), frame.f_lineno
        frame = frame.f_back
    return _state.script.name, 1


def _link_token(url: Any, where: tuple[str, int]) -> str:
    """Record one link (checked here, at the script's line) and return its token."""
    assert _state is not None
    text = str(url)
    problem = linkmod.check_url(text)
    if problem:
        raise ScriptError(f"link {text!r}: {problem}", where[0], where[1],
                          hint=linkmod.HINT)
    _state.links.append({"url": text, "file": where[0], "line": where[1]})
    return linkmod.token(len(_state.links) - 1)


def _tokenise(attrs: dict[str, Any] | None, where: tuple[str, int]) -> dict[str, Any] | None:
    """A copy of ``attrs`` with every link attribute replaced by its token."""
    if not attrs or _state is None:
        return attrs
    return {k: (_link_token(v, where) if k in linkmod.LINK_ATTRS and v else v)
            for k, v in attrs.items()}


def install_patches() -> None:
    """Patch ``diagrams`` once, in the warm parent; behaviour depends on the per-job ``_state``."""

    def rand_id() -> str:
        assert _state is not None
        _state.counter += 1
        return f"n{_state.counter}"

    Node._rand_id = staticmethod(rand_id)

    def graph_kwargs(kwargs: dict[str, Any]) -> None:
        where = _caller_location() if _state is not None else ("", 1)
        for key in ("graph_attr", "node_attr", "edge_attr"):
            if kwargs.get(key):
                kwargs[key] = _tokenise(dict(kwargs[key]), where)

    orig_diagram_init = Diagram.__init__

    def diagram_init(self, *args, **kwargs):
        kwargs["show"] = False
        graph_kwargs(kwargs)
        orig_diagram_init(self, *args, **kwargs)
        self._execdocs_line = _caller_location()[1] if _state is not None else 1

    Diagram.__init__ = diagram_init

    def diagram_exit(self, exc_type, exc, tb):
        # Record only a diagram whose block completed: a raising script publishes nothing.
        if exc_type is None and _state is not None:
            _state.diagrams.append((self, self._execdocs_line))
        diagrams.setdiagram(None)

    Diagram.__exit__ = diagram_exit
    Diagram.render = lambda self: None  # the job runs dot itself

    orig_cluster_init = Cluster.__init__

    def cluster_init(self, *args, **kwargs):
        graph_kwargs(kwargs)
        orig_cluster_init(self, *args, **kwargs)

    Cluster.__init__ = cluster_init

    orig_node_init = Node.__init__

    def node_init(self, *args, **kwargs):
        if _state is not None:
            kwargs = _tokenise(kwargs, _caller_location()) or {}
        orig_node_init(self, *args, **kwargs)
        if _state is not None:
            _state.node_lines[self._id] = _caller_location()
            _state.node_labels[self._id] = self.label

    Node.__init__ = node_init

    orig_edge_init = Edge.__init__

    def edge_init(self, *args, **kwargs):
        if _state is not None:
            kwargs = _tokenise(kwargs, _caller_location()) or {}
        orig_edge_init(self, *args, **kwargs)

    Edge.__init__ = edge_init


# ``from diagrams.k8s.compute import Pod`` / ``import diagrams.aws.network`` at a line's start
_LIBRARY_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(diagrams(?:\.\w+)+)[ \t]+import\b|import[ \t]+(diagrams(?:\.\w+)+))",
    re.MULTILINE,
)
_not_library: set[str] = set()  # names preload() found not to be library modules


def preload(source: bytes) -> list[str]:
    """Import, in the warm worker, the ``diagrams`` library modules a script's source names,
    so that each forked child finds them loaded (a fork server's point: imports paid once).

    Only modules of the installed ``diagrams`` package are imported, never the script or a
    helper: no user code runs in the worker. A child's changes to such a module die with the
    child, as they do for ``diagrams`` itself: every child starts from the fresh import.
    Returns the names imported by this call (a name it can't import is left to the child,
    which reports it at the script's line).
    """
    library = os.path.dirname(os.path.abspath(diagrams.__file__)) + os.sep
    done = []
    for match in _LIBRARY_IMPORT.finditer(source):
        name = (match.group(1) or match.group(2)).decode("ascii")
        if name in sys.modules or name in _not_library:
            continue
        try:
            spec = importlib.util.find_spec(name)
            if spec is None or not (spec.origin or "").startswith(library):
                raise ImportError(name)
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an unknown or broken name is the child's to report
            _not_library.add(name)
            continue
        done.append(name)
    return done


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """An accident guard, not a security boundary: refuse plain file writes outside the job's
    scratch folder and new processes while user code runs.

    Why: a script that writes into docs/ by mistake should hear so at its line. It is easy to
    bypass on purpose (ctypes, sqlite3, ...); what is enforced for real is in ``worker.py``
    (fresh process, process-group kill, memory limit) and the parent's SVG allowlist.
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


def install_audit_hook() -> None:
    """Install :func:`_audit` (once, in the warm parent; inert outside a running script)."""
    sys.addaudithook(_audit)


def _check_write(path: str, root: str) -> None:
    real = os.path.realpath(path)
    if not (real + os.sep).startswith(root + os.sep):
        raise PermissionError(f"diagram scripts may not write files: {path!r}")


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


def render_job(job: dict[str, Any], scratch: str) -> dict[str, Any]:
    """Run one script (the bytes the parent read and hashed) and return the post-processed SVG.

    Runs in the forked child only: it changes the process (cwd, sys.path, library state).
    """
    global _state
    src_dir = Path(job["src_dir"]).resolve()
    script = src_dir / f"{job['name']}.py"
    font: str = job["font"]
    deadline = time.monotonic() + float(job["timeout"])
    rel = script.name
    raw = base64.b64decode(job["source_b64"])
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScriptError(f"the script is not UTF-8: {exc}", rel, 1) from exc
    try:
        code = compile(source, str(script), "exec")
    except SyntaxError as exc:
        raise ScriptError(f"SyntaxError: {exc.msg}", rel, exc.lineno or 1,
                          (exc.text or "").rstrip()) from None

    state = _State(src_dir, script)
    state.write_root = os.path.realpath(scratch)
    sys.path.insert(0, str(src_dir))
    _state = state
    try:
        os.chdir(scratch)
        sink = io.StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            exec(code, {"__name__": "__main__", "__file__": str(script)})
    except ScriptError:
        raise
    except BaseException as exc:  # noqa: BLE001 - any failure of user code is reported, located
        state.write_root = None
        file, line, detail = _located_traceback(exc, src_dir)
        if isinstance(exc, MemoryError):
            raise ScriptError(
                f"MemoryError: the script needed more than the memory limit "
                f"({job.get('memory_mb')} MB)", file or rel, line, detail,
                "raise execdocs: diagrams: memory_mb if the diagram really needs it") from None
        raise ScriptError(f"{type(exc).__name__}: {exc}", file or rel, line, detail) from None
    finally:
        state.write_root = None
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

    dot_source = _tokenise_leftover_links(_force_font(diagram.dot.source, font), state, rel, line)
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
    try:
        result = svgmod.postprocess(
            proc.stdout.decode("utf-8"), font=font, icon_px=job["icon_px"], links=state.links
        )
    except ValueError as exc:
        raise ScriptError(f"the SVG Graphviz wrote can't be used: {exc}", rel, line) from None
    result["warnings"] = [_locate_warning(w, state, rel, line) for w in dot_err.splitlines()
                          if w.strip()]
    result["script"] = rel
    # What the script imported from src_dir, with the digests of the bytes that ran; the
    # parent re-reads them and caches only when they still match.
    result["deps"] = {dep: hashlib.sha256((src_dir / dep).read_bytes()).hexdigest()
                      for dep in deps}
    result["line"] = line
    return result


# A quoted string first, so that ``URL=`` inside a label's text is left alone.
_LEFTOVER = re.compile(
    r'(?P<quoted>"(?:[^"\\]|\\.)*")|\b(?P<key>' + "|".join(linkmod.LINK_ATTRS)
    + r')=(?P<value>"(?:[^"\\]|\\.)*"|[^\s,\]]+)'
)


def _tokenise_leftover_links(source: str, state: _State, script: str, line: int) -> str:
    """Links set some other way (``node._attrs[...]``, ``dot.attr``): tokenised at the diagram's
    line, so no URL reaches Graphviz verbatim."""

    def swap(match: re.Match[str]) -> str:
        if match["quoted"] is not None:
            return match.group(0)
        value = match["value"]
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        if linkmod.is_token(value):
            return match.group(0)
        return f'{match["key"]}="{_link_token(value, (script, line))}"'

    return _LEFTOVER.sub(swap, source)


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
