"""The warm render worker: a fork server with one fresh child per diagram.

Started by :mod:`execdocs.diagrams.pool` as ``python -m execdocs.diagrams.worker`` and kept
alive across diagrams and ``mkdocs serve`` rebuilds: ``diagrams``, ``graphviz`` and Pillow are
imported (and the library patched) once, here. This process never runs user code. Per job it
forks a child that

- starts a new session (its own process group), closes every inherited descriptor (the
  protocol pipes to the build process among them) and keeps only a reply pipe made for this
  job alone;
- gets an address-space limit (``RLIMIT_AS``, ``memory_mb``) and a watchdog (faulthandler dumps
  where the script is and exits at the timeout; fatal signals dump too);
- runs the script, then ``dot``, writes one JSON reply and ``_exit``\\ s.

When the child has ended, everything it left (daemons, a double fork, ``setsid``) is killed:
this process is a child subreaper (:mod:`~execdocs.diagrams.procs`). The job's scratch folder
goes in every outcome. A crash is reported with the exit code or signal and the last line of
the script that is known. The build process treats the reply as untrusted (shape check, SVG
allowlist) before caching or embedding it.

Protocol with the build process: one JSON job per line on stdin; on the original stdout, per
job, ``{"job_pid": N, "job_dir": PATH}`` once the child is forked, then one JSON answer line;
both carry the job's ``nonce`` (lines without it are not the worker's and are ignored).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import faulthandler
import functools
import json
import os
import re
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from types import FrameType
from typing import Any, NoReturn

from execdocs.diagrams import job as jobmod
from execdocs.diagrams import procs
from execdocs.diagrams import svg as svgmod

_BACKSTOP_S = 5.0  # after the timeout, the child gets this long to dump and exit by itself
_MAX_REPLY = 256 * 1024 * 1024  # a reply larger than this is not a diagram
_POLL_S = 0.5  # without a pidfd: how often a child holding no reply pipe is looked for
_DUMP_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _child(job: dict[str, Any], reply_fd: int, work: str, trace: str) -> None:
    """The forked child: run the job and ``_exit``; never returns."""
    real_exit = os._exit
    code = 70
    try:
        os.setsid()
        procs.die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the worker's handler is not the job's
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        trace_fd = os.open(trace, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(trace_fd, 2)  # faulthandler and anything written to fd 2 land in the trace
        # Only the reply pipe survives: the script can't reach the protocol or another job.
        os.closerange(3, reply_fd)
        os.closerange(reply_fd + 1, os.sysconf("SC_OPEN_MAX"))
        memory = int(job.get("memory_mb") or 0)
        if memory > 0:
            limit = memory * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        faulthandler.enable(file=2)
        faulthandler.dump_traceback_later(float(job["timeout"]), exit=True, file=2)
        src_root = os.path.realpath(job["src_dir"]) + os.sep

        def recording_exit(status: int) -> NoReturn:
            # os._exit from the script: note where, so the report can name the line.
            frame: FrameType | None = sys._getframe(1)
            while frame is not None and not frame.f_code.co_filename.startswith(src_root):
                frame = frame.f_back
            if frame is not None:
                os.write(2, f'os._exit({status})\n  File "{frame.f_code.co_filename}", '
                            f"line {frame.f_lineno}\n".encode())
            real_exit(status)

        os._exit = recording_exit
        try:
            answer = {"ok": True, **jobmod.render_job(job, work)}
        except jobmod.ScriptError as exc:
            answer = {"ok": False, "message": exc.message, "file": exc.file, "line": exc.line,
                      "detail": exc.detail, "hint": exc.hint}
        except Exception as exc:  # noqa: BLE001 - a renderer bug must not kill the build silently
            answer = {"ok": False, "message": f"renderer error: {type(exc).__name__}: {exc}",
                      "file": f"{job.get('name')}.py", "line": 1,
                      "detail": traceback.format_exc()}
        faulthandler.cancel_dump_traceback_later()
        data = _json_line(answer).encode()
        view = memoryview(data)
        while view:
            view = view[os.write(reply_fd, view):]
        code = 0
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 70
    finally:
        real_exit(code)


def _json_line(obj: Any) -> str:
    """``obj`` as one line of JSON, non-ASCII text as itself.

    Why not escaped (json's default): an answer is mostly Korean labels and icon data, and
    escaping every character cost more than the rest of the worker's share of a job (and
    the build process's decoding of it). The same JSON value either way; JSON escapes line
    breaks, so it stays one line. Text with a lone surrogate (a script can put one in a
    link) can't be written as UTF-8: that answer is escaped as before.
    """
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj)
    return text


def _kill_job(pid: int) -> None:
    """SIGKILL the child and its process group (its descendants go after it has ended)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when the child ends, or None where there is no
    ``pidfd_open`` (Linux before 5.3; Valgrind, under which the benchmark counts a cold
    build's instructions, answers ENOSYS): then :func:`_collect` polls ``waitpid``."""
    try:
        return os.pidfd_open(pid)
    except OSError as exc:
        if exc.errno != errno.ENOSYS:
            raise
        return None


def _collect(pid: int, reply_fd: int, limit_s: float) -> tuple[bytes, int, bool]:
    """Read the reply while the child runs; (reply bytes, wait status, killed by us)."""
    chunks: list[bytes] = []
    size = 0
    killed = False
    pidfd = _pidfd(pid)
    deadline = time.monotonic() + limit_s
    open_fds = [reply_fd] if pidfd is None else [reply_fd, pidfd]
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 and not killed:
                _kill_job(pid)
                killed = True
            wait = max(remaining, 0.0) if not killed else 1.0
            if pidfd is None:  # no pidfd: look for the child's end now and then
                wait = min(wait, _POLL_S if reply_fd in open_fds else 0.002)
            ready, _, _ = select.select(open_fds, [], [], wait)
            if reply_fd in ready:
                chunk = os.read(reply_fd, 1 << 16)
                if chunk:
                    size += len(chunk)
                    if size > _MAX_REPLY and not killed:
                        _kill_job(pid)
                        killed, chunks = True, []
                    elif not killed:
                        chunks.append(chunk)
                else:
                    open_fds.remove(reply_fd)
            if pidfd is not None and pidfd in ready:
                _, status = os.waitpid(pid, 0)
                break
            if pidfd is None:
                ended, status = os.waitpid(pid, os.WNOHANG)
                if ended:
                    break
    finally:
        if pidfd is not None:
            os.close(pidfd)
    # The child is gone; kill what it left (a leftover may hold the reply pipe open), then
    # read what is still buffered.
    procs.kill_descendants()
    if reply_fd in open_fds and not killed:
        os.set_blocking(reply_fd, False)
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(reply_fd, 1 << 16):
                size += len(chunk)
                chunks.append(chunk)
    return (b"".join(chunks) if size <= _MAX_REPLY else b""), status, killed


def run_job(job: dict[str, Any], announce: Any = None) -> dict[str, Any]:
    """Fork a fresh child for ``job``, wait for it, clean up; the child's (unchecked) answer."""
    with contextlib.suppress(Exception):  # an optimisation only: the child imports the rest
        jobmod.preload(base64.b64decode(job["source_b64"]))
    job_dir = tempfile.mkdtemp(prefix="execdocs-job-")
    work = os.path.join(job_dir, "work")
    trace = os.path.join(job_dir, "trace")
    try:
        os.mkdir(work)
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reply_r)
            _child(job, reply_w, work, trace)
        os.close(reply_w)
        if announce is not None:
            announce(pid, job_dir)
        try:
            data, status, killed = _collect(pid, reply_r, float(job["timeout"]) + _BACKSTOP_S)
        finally:
            os.close(reply_r)
        text = ""
        with contextlib.suppress(OSError), open(trace, "rb") as fh:
            text = fh.read(1 << 20).decode(errors="replace")
    finally:
        procs.kill_descendants()
        shutil.rmtree(job_dir, ignore_errors=True)
    code = os.waitstatus_to_exitcode(status)
    if data and not killed:
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and code == 0:
            if answer.get("ok") is True:
                try:
                    svgmod.resolve_icons(answer, int(job["icon_px"]))
                except (ValueError, TypeError) as exc:
                    line = answer.get("line")
                    return {"ok": False, "message": f"the diagram's icons can't be used: {exc}",
                            "file": f"{job['name']}.py",
                            "line": line if isinstance(line, int) else 1, "detail": ""}
            return answer
        if code == 0:
            return _failed(job, "the job's reply is not valid JSON: the script wrote to the "
                           "reply channel", text)
    return _died(job, code, killed, text)


def _where(job: dict[str, Any], text: str) -> tuple[str, int, list[tuple[str, int]]]:
    src_dir = os.path.realpath(job["src_dir"]) + os.sep
    frames = [(os.path.relpath(m["file"], src_dir), int(m["line"]))
              for m in _DUMP_LINE.finditer(text) if m["file"].startswith(src_dir)]
    file, line = frames[0] if frames else (f"{job['name']}.py", 1)
    return file, line, frames


def _failed(job: dict[str, Any], message: str, text: str) -> dict[str, Any]:
    file, line, _ = _where(job, text)
    return {"ok": False, "message": message, "file": file, "line": line, "detail": ""}


def _died(job: dict[str, Any], code: int, killed: bool, text: str) -> dict[str, Any]:
    """The child ended without a reply: timeout (watchdog dump or our kill) or a crash."""
    file, line, frames = _where(job, text)
    known = "" if frames else " (the line it reached is not known)"
    if "Timeout (" in text or killed:
        return {"ok": False, "message": f"timed out after {job['timeout']} s "
                "(the script did not finish)", "file": file, "line": line,
                "detail": "\n".join(f"{f}:{n}" for f, n in frames),
                "hint": "raise execdocs: diagrams: timeout if it is slow"}
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        how = f"killed by signal {name}"
        if -code == signal.SIGKILL:
            how += " (out of memory, or killed from outside)"
    else:
        how = f"exited with code {code} before the diagram was finished"
    return {"ok": False, "message": f"the render job crashed: {how}{known}", "file": file,
            "line": line, "detail": "\n".join(f"{f}:{n}" for f, n in frames[:5]),
            "hint": "a crash in a C extension or os._exit() ends the job; the diagram is "
                    "not published"}


def _announce(proto: Any, nonce: Any, pid: int, job_dir: str) -> None:
    """Tell the build process the job's pid and folder, so that it can end the job's session
    and remove the folder if this worker dies."""
    proto.write(json.dumps({"job_pid": pid, "job_dir": job_dir, "nonce": nonce}) + "\n")
    proto.flush()


def _terminated(signum: int, _frame: Any) -> None:
    # Raised where the worker is (most likely waiting for its job's child): run_job's finally
    # kills the job's processes and removes its folder, then the worker exits. Only once: the
    # signal comes again as each thread of the dying build exits (the worker is handed from
    # thread to thread), and a second exception would cut that cleanup short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def main() -> None:
    """Serve jobs until stdin closes (or the build dies: see :func:`_terminated`)."""
    # The protocol owns the real stdout; fd 1 goes to /dev/null so stray prints can't corrupt it.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.dont_write_bytecode = True  # helpers are read on every job; never trust a stale .pyc
    import graphviz  # noqa: F401 - paid once here, not by every child
    import PIL.Image  # noqa: F401 - paid at start, not by the first diagram (icon downscaling)
    import PIL.PngImagePlugin  # noqa: F401

    jobmod.install_patches()
    jobmod.install_audit_hook()
    procs.become_subreaper()
    # A build killed outright (SIGTERM, SIGKILL, a CI timeout) can't stop its workers: each
    # gets SIGTERM when its build dies and ends the job it has (its processes, its folder) on
    # the way out, instead of running it to its end with nobody waiting for the answer.
    signal.signal(signal.SIGTERM, _terminated)
    procs.stop_with_parent()
    parent = os.environ.get("EXECDOCS_DIAGRAMS_BUILD_PID", "")
    if parent.isdigit() and os.getppid() != int(parent):
        return  # the build died before this worker could ask to be told
    # Ctrl-C reaches the whole foreground group: the worker finishes (and sweeps) the job it
    # has, then ends on stdin's EOF; dying at once would orphan what the job started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for raw in sys.stdin:
        try:
            job = json.loads(raw)
        except ValueError:
            continue  # not a job from the pool (a script can reach this pipe through /proc)
        if not isinstance(job, dict):
            continue
        started = time.perf_counter()
        try:
            answer = run_job(job, functools.partial(_announce, proto, job.get("nonce")))
        except Exception as exc:  # noqa: BLE001 - a worker bug must not hang the build
            answer = {"ok": False, "message": f"renderer error: {type(exc).__name__}: {exc}",
                      "file": f"{job.get('name')}.py", "line": 1,
                      "detail": traceback.format_exc()}
        # The job's time (fork, script, Graphviz, SVG, cleanup), for the serve benchmark;
        # the renderer takes it out before the payload is cached.
        answer["seconds"] = time.perf_counter() - started
        answer["nonce"] = job.get("nonce")
        proto.write(_json_line(answer) + "\n")
        proto.flush()


if __name__ == "__main__":
    main()
