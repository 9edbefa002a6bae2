"""What one capture run would do: the commands it selects, and the policy's verdict on each.

``select()`` turns pages (or a stored session) into planned commands, filling placeholders
from ``--fill`` or from the value recorded last time; a stored ``run:`` line is used only if
it is its documented command with each placeholder filled by one safe word. ``judge_all()``
gives each planned command its verdict under this run's ``--allow``/``--allow-mutating``.
Plan mode prints these and stops; nothing here executes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from execdocs.capture.commands import commands_for_session
from execdocs.capture.policy import Verdict
from execdocs.capture.record import CaptureOptions, Planned, judge, runnable
from execdocs.capture.redact import redacted_fills
from execdocs.problems import Problem
from execdocs.snippets import placeholders, store
from execdocs.snippets.parse import CONSOLE_LANGUAGES


@dataclass
class Selection:
    """The planned commands, the problems that keep others from running, and what was left."""

    planned: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    other_sessions: int = 0
    others: dict[str, int] = field(default_factory=dict)
    skipped: int = 0


@dataclass(frozen=True)
class Line:
    """One planned command and what the policy says about it."""

    planned: Planned
    verdict: Verdict
    runs: bool
    """True when it would run (allowed, or overridden by --allow-mutating)."""

    def said(self) -> str:
        """``will run``, ``will run (allowed by --allow 'x')`` or ``refused: why; what to do``."""
        if self.verdict.allowed:
            by = self.verdict.allowed_by
            return "will run" + (f" (allowed by {by})" if by else "")
        if self.runs:
            return f"will run (--allow-mutating; {self.verdict.reason})"
        return f"refused: {self.verdict.message()}"


def select(pages: list[Path], session_name: str, session: store.Session | None,
           fills: dict[str, str], match: list[str],
           default_session: str | None = None,
           languages: tuple[str, ...] = CONSOLE_LANGUAGES,
           superfences: bool = True) -> Selection:
    """The commands of ``pages`` for ``session_name`` (or, without pages, every capture of
    ``session``), each with its as-run text; ``match``: keep commands containing any of these."""
    out = Selection()
    wanted = (lambda text: any(m in text for m in match)) if match else (lambda text: True)
    if pages:
        chosen = commands_for_session(pages, session_name, default_session, languages,
                                      superfences)
        out.other_sessions, out.skipped = chosen.other_sessions, chosen.skipped
        out.others = chosen.others
        seen: set[str] = set()
        for doc in chosen.commands:
            key = store.normalise_command(doc.command)
            if key in seen or not wanted(doc.command):
                continue
            seen.add(key)
            stored = session.find(doc.command) if session else []
            run = doc.command
            for name in doc.placeholders:
                if name in fills:
                    run = run.replace(name, fills[name])
            if doc.placeholders and not any(n in fills for n in doc.placeholders) and stored:
                why = placeholders.run_problem(stored[0].command, stored[0].run)
                if why:
                    out.problems.append(_stored_problem(stored[0], why))
                    continue
                run = stored[0].run  # refresh with the value recorded last time
            left = [n for n in doc.placeholders if n in run]
            if left:
                out.problems.append(Problem(
                    doc.path, doc.line, f"'{doc.command}': placeholder {left[0]} has no value",
                    hint=f"pass --fill '{left[0]}=VALUE' (one word, e.g. a pod name)"))
                continue
            out.planned.append(Planned(doc.command, run, f"{doc.path}:{doc.line}"))
    elif session is not None:
        for cap in session.captures:
            if not wanted(cap.command):
                continue
            why = placeholders.run_problem(cap.command, cap.run)
            if why:
                out.problems.append(_stored_problem(cap, why))
                continue
            out.planned.append(Planned(cap.command, cap.run, f"{cap.path}:{cap.line}"))
    return out


def _stored_problem(cap: store.Capture, why: str) -> Problem:
    """A stored ``run:`` line that is not its documented command with safe fills: not run."""
    withheld = redacted_fills(cap.command, cap.run)
    if withheld:  # a secret given with --fill when it was recorded: redacted, never stored
        session = cap.path.parent.name if cap.path else "SESSION"
        fills = " ".join(f"--fill '{name}=VALUE'" for name in withheld)
        return Problem(
            str(cap.path), cap.line,
            f"'{cap.command}': stored run: line not run: {', '.join(withheld)} held a secret, "
            "which was redacted when it was recorded and is not stored",
            hint=f"give it again with its page: execdocs capture PAGE --session {session} "
            f"{fills}")
    return Problem(str(cap.path), cap.line, f"'{cap.command}': stored run: line not run: {why}",
                   hint="re-record it from its page with --fill '<name>=VALUE'")


def judge_all(planned: list[Planned], options: CaptureOptions) -> list[Line]:
    """The verdict on every planned command (nothing runs)."""
    lines = []
    for item in planned:
        verdict = judge(item.run, options)
        lines.append(Line(item, verdict, runnable(verdict, options)))
    return lines
