"""A pool of long-lived warm render workers (fork servers, see ``worker.py``).

User code never runs in the build process, nor in a warm worker: each job runs in a child the
worker forks for it. Workers start lazily on the first job (a fully cached build starts none)
or all at once on :meth:`WorkerPool.warm` (``mkdocs serve``) and are reused across diagrams and
rebuilds; a worker that itself died is replaced on the next job.

A build starts with one slot; the others open on :meth:`WorkerPool.grow`, which the renderer
calls when the build waits for a job no worker has taken yet. Why: the build process is a
cold build's critical path (it converts every page while the workers render) and one core
is its own; a second worker started at once cost a second start-up (imports) and took a
share of that core while one worker kept ahead of the pages. A site whose pages outrun the
renders gets every slot, at the first page that waits.

Timeouts are the worker's business (it kills a job's child and reports the script's line); the
pool only kills a worker that stops answering altogether.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from typing import IO, Any

from execdocs.diagrams import procs

_BACKSTOP_S = 20.0


def _exit_wait_s() -> float:
    """How long :meth:`_Worker.stop` waits for a worker to exit after its stdin closed before
    killing it: 5 s, or ``EXECDOCS_DIAGRAMS_WORKER_EXIT_S`` (a positive number of seconds).
    Why a setting: under Valgrind (``bench/bench_diagrams.py --instructions``) a worker's exit
    writes its count for longer than 5 s, and a killed worker's count is lost. A worker
    runs no user code and has finished its jobs when it is stopped; this is not a limit on
    any script (those are the job timeout and memory limit)."""
    raw = os.environ.get("EXECDOCS_DIAGRAMS_WORKER_EXIT_S", "")
    try:
        value = float(raw)
    except ValueError:
        return 5.0
    return value if 0 < value < float("inf") else 5.0


class _Worker:
    """One worker process and its stderr (where a dying worker's last words are read)."""

    def __init__(self, index: int):
        self.index = index
        self.proc: subprocess.Popen[str] | None = None
        self.stderr: IO[bytes] | None = None
        self.jobs = 0
        # Held while a job runs, so that warm() never starts a process under a running job.
        self.busy = threading.Lock()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ensure(self) -> subprocess.Popen[str]:
        if not self.running():
            self._close_stderr()
            # a file without a name (unlinked as it is made): nothing is left in TMPDIR
            # however the build ends, a SIGTERM or SIGKILL included
            self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "execdocs.diagrams.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                text=True, encoding="utf-8", cwd=tempfile.gettempdir(),
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
                     "EXECDOCS_DIAGRAMS_BUILD_PID": str(os.getpid())},
            )
        assert self.proc is not None
        return self.proc

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()  # the worker's loop ends on EOF
            proc.wait(timeout=_exit_wait_s())
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
        self._close_stderr()

    def last_words(self) -> str:
        """The end of what the worker wrote to stderr."""
        if self.stderr is None:
            return ""
        with contextlib.suppress(OSError, ValueError):
            size = self.stderr.seek(0, os.SEEK_END)
            self.stderr.seek(max(0, size - 8000))
            return self.stderr.read().decode(errors="replace")[-2000:]
        return ""

    def _close_stderr(self) -> None:
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None


class WorkerPool:
    """Run render jobs in ``size`` worker processes; :meth:`submit` returns a Future of a dict."""

    def __init__(self, size: int = 2):
        self.size = max(1, size)
        self._queue: queue.Queue[tuple[dict[str, Any], Future[dict[str, Any]]] | None] = (
            queue.Queue()
        )
        self._threads: list[threading.Thread] = []
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self.started = 0  # worker processes started, for tests and the summary

    def submit(self, job: dict[str, Any]) -> Future[dict[str, Any]]:
        """Queue a job (see ``worker.render_job``); the Future's result is the worker's answer."""
        self._start()
        future: Future[dict[str, Any]] = Future()
        self._queue.put((job, future))
        return future

    def grow(self) -> None:
        """Open every slot (their processes start on their first job): the build is waiting
        for a job that is still queued."""
        self._start(self.size)

    def warm(self) -> None:
        """Start every worker process now (``mkdocs serve``: the first edit then pays no process
        start). Starting a worker runs no user code. When the pool is already running (the
        first build used it), a slot whose process never started or has exited gets one now,
        unless it is busy with a job (then its process is running anyway)."""
        self._start(self.size)
        for worker in list(self._workers):
            if worker.busy.acquire(blocking=False):
                try:
                    if not worker.running():
                        self._count_start()
                        worker.ensure()
                finally:
                    worker.busy.release()

    def _count_start(self) -> None:
        with self._lock:
            self.started += 1

    def _start(self, slots: int = 1) -> None:
        """Open slots (a thread each, taking jobs from the one queue) up to ``slots``."""
        with self._lock:
            if len(self._threads) >= slots:
                return
            for index in range(len(self._threads), slots):
                worker = _Worker(index)
                thread = threading.Thread(
                    target=self._serve, args=(worker,), name=f"execdocs-diagrams-{index}",
                    daemon=True,
                )
                self._workers.append(worker)
                self._threads.append(thread)
                thread.start()

    def _serve(self, worker: _Worker) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                worker.stop()
                return
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with worker.busy:
                    answer = self._run(worker, job)
                future.set_result(answer)
            except BaseException as exc:  # noqa: BLE001 - hand every failure to the waiter
                future.set_exception(exc)

    def _run(self, worker: _Worker, job: dict[str, Any]) -> dict[str, Any]:
        if not worker.running():
            self._count_start()
        proc = worker.ensure()
        worker.jobs += 1
        fired = threading.Event()

        def backstop() -> None:
            fired.set()
            proc.kill()

        # The worker stops a job itself at its timeout (plus its own grace); this only fires
        # when the worker itself hangs.
        killer = threading.Timer(float(job["timeout"]) + _BACKSTOP_S, backstop)
        killer.start()
        started: dict[str, Any] = {}
        # A fresh secret per job: a script can reach this pipe (/proc/PPID/fd/1) and write
        # lines into it, but it can't know a later job's nonce, so it can't answer for one.
        nonce = secrets.token_hex(16)
        answer: Any = None
        try:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps({**job, "nonce": nonce}) + "\n")
            proc.stdin.flush()
            while line := proc.stdout.readline():
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(message, dict) or message.pop("nonce", None) != nonce:
                    continue  # not from the worker for this job: ignored
                if set(message) == {"job_pid", "job_dir"}:
                    started = message
                    continue
                answer = message
                break
        except (BrokenPipeError, OSError):
            answer = None
        finally:
            killer.cancel()
        if isinstance(answer, dict):
            return answer
        # The worker can't sweep its job any more: end the job's session, remove its folder.
        job_pid, job_dir = started.get("job_pid"), started.get("job_dir")
        if isinstance(job_pid, int) and job_pid > 1:
            procs.kill_session(job_pid)
        if isinstance(job_dir, str) and os.path.basename(job_dir).startswith("execdocs-job-"):
            shutil.rmtree(job_dir, ignore_errors=True)
        return self._died(worker, job, fired.is_set())

    @staticmethod
    def _died(worker: _Worker, job: dict[str, Any], killed: bool) -> dict[str, Any]:
        """The warm worker itself failed mid-job (not the job's child: the worker reports that)."""
        stderr = worker.last_words()
        worker.stop()
        what = "stopped answering and was killed" if killed else "exited"
        return {"ok": False, "message": f"the render worker {what}", "file": f"{job['name']}.py",
                "line": 1, "detail": stderr.strip()}

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        with self._lock:
            threads, self._threads = self._threads, []
            for _ in threads:
                self._queue.put(None)
        for thread in threads:
            thread.join(timeout=10)
        self._workers.clear()
