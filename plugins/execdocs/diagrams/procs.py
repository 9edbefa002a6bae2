"""Process bookkeeping for the warm worker: nothing a job started outlives the job.

The warm worker is a child subreaper (``PR_SET_CHILD_SUBREAPER``): a process a script leaves
behind (``libc.system("... &")``, a double fork, a new session) is re-parented to the worker
instead of init, so it stays a *descendant* of the worker. The worker runs one job at a time,
so after a job every descendant is that job's and is killed and reaped.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import time

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, loaded once per process. Why cached: ``find_library`` runs
    ``ldconfig -p`` in a subprocess (~7 ms, and a fork of the whole worker), and every job's
    child calls :func:`die_with_parent`; loaded in the warm worker, the forked child inherits
    the handle."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _prctl(option: int, arg: int) -> bool:
    try:
        return _libc().prctl(option, arg, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Make this process the subreaper of its descendants (Linux); False where unsupported."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent() -> bool:
    """SIGKILL this process when its parent dies (a job whose warm worker was killed, or
    interrupted by Ctrl-C, must not run on in its own session)."""
    return _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def stop_with_parent() -> bool:
    """SIGTERM this process when its parent dies (the warm worker, when the build is killed:
    its handler then ends the job's processes and removes the job's folder before it exits);
    False where unsupported (not Linux). A parent that died before this call is not seen:
    the caller compares ``os.getppid()`` with the pid its parent gave it."""
    return _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's list; /proc/PID/task/TID/children)."""
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found += [int(x) for x in fh.read().split()]
        except OSError:
            continue
    return found


def descendants(root: int) -> list[int]:
    """Every live or zombie descendant of ``root``, parents before children."""
    out: list[int] = []
    todo = [root]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


def _reap() -> None:
    """Collect every exited child of this process (zombies hold no resources but a pid)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_session(sid: int) -> None:
    """SIGKILL every process in session or process group ``sid`` (a job's child is its leader).

    For when the warm worker itself is gone and can't sweep its descendants: what stayed in
    the job's session is found through /proc.
    """
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # after the command: state ppid pgrp session ...
        if len(fields) > 3 and sid in (int(fields[2]), int(fields[3])):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry), signal.SIGKILL)


def kill_descendants(wait_s: float = 5.0) -> list[int]:
    """SIGKILL every descendant of this process until none is left (or ``wait_s`` passes).

    Returns the pids still present at the end (empty in every case seen so far). Stopping a
    process first would not help against a fork loop; killing repeatedly does, because each
    round kills the parents and the orphans come back to this process.
    """
    deadline = time.monotonic() + wait_s
    me = os.getpid()
    while True:
        _reap()
        left = descendants(me)
        if not left or time.monotonic() > deadline:
            return left
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)
