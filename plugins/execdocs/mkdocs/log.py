"""The adapters' loggers, with a count of the problems they warned about in this build.

MkDocs 1.6 counts warnings for ``--strict`` through its logger, so ``-q`` (which raises the log
level) hides them from the count and a strict build passes with problems (MkDocs #4126, #3991,
not to be fixed upstream). The count here is taken before the level is looked at; the plugin
aborts a strict build itself when it is not zero.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import get_plugin_logger

_count = [0]


class CountingLogger:
    """A plugin logger whose ``warning`` also counts, whatever the log level."""

    def __init__(self, name: str):
        self._logger = get_plugin_logger(name)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        _count[0] += 1
        self._logger.warning(msg, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)


def plugin_logger(name: str) -> CountingLogger:
    """A counting logger named ``mkdocs.plugins.NAME`` (shown as ``NAME:`` by MkDocs)."""
    return CountingLogger(name)


def reset_count() -> None:
    """Start a new build's count (``mkdocs serve`` rebuilds in the same process)."""
    _count[0] = 0


def warned() -> int:
    """How many problems the adapters warned about since the last reset."""
    return _count[0]
