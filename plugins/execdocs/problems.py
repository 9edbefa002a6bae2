"""One problem type carrying a location, shared by every feature and adapter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A content problem found at ``path:line``.

    Rendered as ``docs/kubelet.md:42: snippet 'kubectl get nodes': no capture ...`` with the
    detail indented two spaces and an optional ``hint:`` line.
    """

    path: str
    line: int | None
    message: str
    detail: str = ""
    hint: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def format(self) -> str:
        out = [f"{self.location}: {self.message}"]
        out += [f"  {ln}" for ln in self.detail.splitlines()]
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.format()


class ExecDocsError(Exception):
    """A problem that stops the work (broken environment, unusable input)."""

    def __init__(self, problem: Problem | str):
        self.problem = problem if isinstance(problem, Problem) else None
        super().__init__(str(problem))
