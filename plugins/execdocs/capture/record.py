"""Record commands into a capture session: run, redact, scan, classify drift, write on request.

One ``record()`` call handles a list of planned commands against one target. The order for
each command is fixed, so that nothing unredacted is ever written:

1. refuse it unless the policy (``capture/policy.py``) knows it to be read-only, or the
   maintainer lifted the refusal on the command line (``--allow``, ``--allow-mutating``);
2. run it (pinned environment, timeout); an ssh failure is ``unreachable``, not a capture;
3. redact stdout and stderr with the shared secret rules (``<REDACTED:kind#n>``, counts kept);
4. scan the redacted text again and refuse to write if anything is still found (fail closed);
5. classify drift against the stored capture of the same documented command;
6. write only with ``update``; a structural or exit-status change only with ``accept`` too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from execdocs.capture import drift
from execdocs.capture.policy import Allowance, Verdict, check
from execdocs.capture.redact import redact_streams
from execdocs.capture.runner import MAX_OUTPUT, Runner, RunResult
from execdocs.capture.versions import probe_versions
from execdocs.problems import ExecDocsError
from execdocs.snippets import store

NEW = "new"
REFUSED = "refused"
TIMED_OUT = "timed-out"
SECRET_LEFT = "secret-left"
UNREACHABLE = "unreachable"
RULE_NAMES = sorted({name for name, _p, _r in drift.NORMALISATION_RULES} | {"volatile-columns"})
"""What a capture's ``normalise`` field lists: the rules drift applies before comparing."""


@dataclass(frozen=True)
class Planned:
    """A command to record: as documented (the capture's key) and as run (placeholders filled)."""

    command: str
    run: str
    origin: str = ""
    """Where it came from (``docs/kubelet.md:42`` or ``captures/s/x.capture``), for messages."""


@dataclass
class CaptureOutcome:
    """What happened to one planned command."""

    planned: Planned
    status: str
    """``new``, a drift class (``identical``...), ``refused``, ``timed-out`` or ``secret-left``."""
    written: bool = False
    reason: str = ""
    changes: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    result: RunResult | None = None
    pending: tuple[store.Capture, Path] | None = None
    """A capture held back until the whole session can be converted to captured."""

    @property
    def problem(self) -> bool:
        """True when the contributor must act: refused, timed out, or drift left unwritten."""
        if self.status in (REFUSED, TIMED_OUT, SECRET_LEFT, UNREACHABLE):
            return True
        unwritten = not self.written and self.pending is None
        return self.status in (drift.STRUCTURAL, drift.EXIT_STATUS_CHANGED) and unwritten


@dataclass
class CaptureOptions:
    """Switches of one capture run (the CLI's flags)."""

    update: bool = False
    accept: bool = False
    allow_mutating: bool = False
    allow: tuple[Allowance, ...] = ()
    """``--allow PROGRAM[ SUBCOMMAND]`` entries of this run."""
    system: str | None = None
    """The session's ``system`` text; required when the session does not exist yet."""
    note: str | None = None
    """The session's ``note`` (shown on the page); None keeps it, unless the session was not
    captured before (its old note described another provenance and is dropped)."""
    timeout: float | None = None


@dataclass
class CaptureReport:
    """Every outcome, the versions found, and where the session lives."""

    session_dir: Path
    outcomes: list[CaptureOutcome] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    session_written: bool = False
    blocked: str = ""
    """Why held-back captures were not written (a partial provenance conversion)."""

    def counts(self) -> dict[str, int]:
        """How many outcomes of each status."""
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_or_new_session(captures_root: Path, name: str) -> store.Session | None:
    """The stored session ``name`` (raising on a malformed file), or None if it does not exist."""
    folder = Path(captures_root) / name
    if not (folder / store.SESSION_FILE).exists():
        return None
    return store.load_session(folder)


def _stored(session: store.Session | None, command: str) -> store.Capture | None:
    if session is None:
        return None
    matches = session.find(command)
    if len(matches) > 1:
        paths = ", ".join(str(c.path) for c in matches)
        raise ExecDocsError(f"session '{session.name}' has {len(matches)} captures for "
                            f"'{command}' ({paths}); keep one")
    return matches[0] if matches else None


def record(
    planned: list[Planned],
    runner: Runner,
    captures_root: Path,
    session_name: str,
    options: CaptureOptions,
    progress: Callable[[int, int, CaptureOutcome], None] | None = None,
) -> CaptureReport:
    """Run ``planned`` on ``runner``'s target into session ``session_name`` (see module doc)."""
    store.check_session_name(session_name)
    folder = Path(captures_root) / session_name
    session = load_or_new_session(captures_root, session_name)
    if session is None and options.update and not options.system:
        raise ExecDocsError(f"session '{session_name}' does not exist yet: give --system "
                            "(what the commands run on, e.g. 'k3s v1.31 single node on Debian 12')")
    if session is not None and session.provenance != "captured" and options.update:
        covered = {store.normalise_command(p.command) for p in planned}
        rest = [c for c in session.captures if store.normalise_command(c.command) not in covered]
        if rest:
            raise ExecDocsError(
                f"session '{session_name}' is '{session.provenance}' and {len(rest)} of its "
                "captures are not in this run: a session is one provenance, so re-record all of "
                f"them or capture into a new session (first: {rest[0].command!r})")
    # Turning an illustrative/reference session into a captured one is all or nothing: the
    # captures are held back until every one of the session's captures was re-recorded.
    converting = session is not None and session.provenance != "captured" and options.update
    report = CaptureReport(folder)
    for index, item in enumerate(planned, start=1):
        outcome = _one(item, runner, session, folder, options, defer=converting)
        report.outcomes.append(outcome)
        if progress:
            progress(index, len(planned), outcome)
    if converting:
        assert session is not None
        ready = {store.normalise_command(o.planned.command) for o in report.outcomes
                 if o.pending is not None}
        missing = [c.command for c in session.captures
                   if store.normalise_command(c.command) not in ready]
        if missing:
            report.blocked = (f"session '{session_name}' stays '{session.provenance}': "
                              f"{len(missing)} of its captures could not be re-recorded "
                              f"(first: {missing[0]!r}); nothing written")
        else:
            for o in report.outcomes:
                if o.pending is not None:
                    store.save_capture(*o.pending)
                    o.written = True
    if any(o.written for o in report.outcomes):
        report.versions = probe_versions(runner)
        _write_session(session, folder, session_name, report.versions, options)
        report.session_written = True
    return report


def _one(item: Planned, runner: Runner, session: store.Session | None, folder: Path,
         options: CaptureOptions, defer: bool = False) -> CaptureOutcome:
    verdict = judge(item.run, options)
    if not runnable(verdict, options):
        return CaptureOutcome(item, REFUSED, reason=f"refused: {verdict.message()}")
    result = runner.run(verdict.command, timeout=options.timeout)
    if runner.ssh_host and ssh_failed(result):
        first = result.stderr.decode("utf-8", "replace").strip().splitlines()
        return CaptureOutcome(item, UNREACHABLE, result=result, reason=(
            f"ssh could not reach '{runner.ssh_host}': {first[0] if first else 'exit 255'}; "
            "nothing written (check the host, its port and key, or --ssh-config)"))
    if result.timed_out:
        limit = runner.timeout if options.timeout is None else options.timeout
        return CaptureOutcome(item, TIMED_OUT, result=result,
                              reason=f"no answer within {limit:g}s; nothing written")
    if result.overflowed:
        return CaptureOutcome(item, TIMED_OUT, result=result, reason=(
            f"printed more than {MAX_OUTPUT:,} bytes and was stopped; nothing written "
            "(document a bounded form: head -c, --tail, a selector)"))
    clean = redact_streams(result.stdout, result.stderr, item.run, item.command)
    stdout, stderr = clean.stdout, clean.stderr
    if clean.left:
        return CaptureOutcome(item, SECRET_LEFT, reason="still holds " + "; ".join(clean.left)
                       + " after redaction; nothing written", result=result)
    stored = _stored(session, item.command)
    assert result.exit_status is not None
    fresh = drift.Output(result.exit_status, stdout, stderr)
    if stored is None:
        outcome = CaptureOutcome(item, NEW)
    else:
        d = drift.classify(drift.Output(stored.exit, stored.stdout, stored.stderr), fresh)
        outcome = CaptureOutcome(item, d.kind, changes=d.changes)
    outcome.redactions = dict(clean.counts)
    outcome.result = result
    if _should_write(outcome.status, options, defer):
        capture = store.Capture(
            command=item.command, run=clean.run, exit=result.exit_status, stdout=stdout,
            stderr=stderr, captured=result.started_iso, normalise=list(RULE_NAMES),
            redactions=dict(clean.counts),
        )
        path = stored.path if stored is not None and stored.path else (
            folder / store.capture_filename(item.command))
        if defer:
            outcome.pending = (capture, path)
        else:
            store.save_capture(capture, path)
            outcome.written = True
    return outcome


def judge(run: str, options: CaptureOptions) -> Verdict:
    """The policy's verdict on the command line ``run`` under this run's ``--allow``s."""
    return check(run, options.allow)


def runnable(verdict: Verdict, options: CaptureOptions) -> bool:
    """True when ``verdict`` lets the command run: allowed, or refused but overridden by
    ``--allow-mutating`` (never for a command the parser cannot read)."""
    if verdict.allowed:
        return True
    return options.allow_mutating and verdict.kind != "unparsable"


# ssh's own words when it fails before the remote command runs (ssh(1): exit status 255).
_SSH_FAILURES = ("ssh: ", "connection refused", "connection timed out", "permission denied",
                 "host key verification failed", "could not resolve hostname",
                 "connection closed by", "kex_exchange_identification", "no route to host",
                 "network is unreachable", "connection reset by", "operation timed out")


def ssh_failed(result: RunResult) -> bool:
    """True when ssh itself failed (exit 255 with ssh's message), so nothing ran remotely."""
    if result.exit_status != 255:
        return False
    text = result.stderr.decode("utf-8", "replace").lower()
    return any(word in text for word in _SSH_FAILURES)


def _should_write(status: str, options: CaptureOptions, converting: bool = False) -> bool:
    if not options.update:
        return False
    if status == drift.IDENTICAL:
        # leave the file (and its capture time) alone, no git noise -- unless the stored one
        # was never captured (an illustrative output that happens to match)
        return converting
    if status in (drift.STRUCTURAL, drift.EXIT_STATUS_CHANGED):
        return options.accept
    return True


def _write_session(session: store.Session | None, folder: Path, name: str,
                   versions: dict[str, str], options: CaptureOptions) -> None:
    """Stamp the session with this run's system, versions and date; provenance: captured."""
    if session is None:
        session = store.Session(name=name, system=options.system or "", provenance="captured")
    if options.system:
        session.system = options.system
    if options.note is not None:
        session.note = options.note
    elif session.provenance != "captured":
        session.note = ""
    session.versions = dict(versions)
    session.when = _now_iso()[:10]
    session.provenance = "captured"
    session.source = None
    store.save_session(session, folder)
