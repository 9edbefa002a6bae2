"""pytest adapter (entry point ``pytest11``): one test item per documented command."""

from __future__ import annotations
