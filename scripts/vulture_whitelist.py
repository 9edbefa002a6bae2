"""Names vulture (the dead-code gate in scripts/test.sh) cannot see being used.

Each is used by a framework or by tests/bench, or is required by a signature: MkDocs, pytest
and Python-Markdown call the hooks and methods by name; the diagrams job patches library
attributes; bytearray ``+=`` mutates in place. Add a name here only with its reason.
"""
# ruff: noqa
duration  # unused variable (plugins/execdocs/capture/runner.py:66)
_._rand_id  # unused attribute (plugins/execdocs/diagrams/job.py:108)
tb  # unused variable (plugins/execdocs/diagrams/job.py:126)
_.__exit__  # unused attribute (plugins/execdocs/diagrams/job.py:132)
_.jobs  # unused attribute (plugins/execdocs/diagrams/pool.py:40)
_.jobs  # unused attribute (plugins/execdocs/diagrams/pool.py:150)
_.dont_write_bytecode  # unused attribute (plugins/execdocs/diagrams/worker.py:256)
tag_suffix  # unused variable (plugins/execdocs/mkdocs/config.py:140)
ExecDocsPlugin  # unused class (plugins/execdocs/mkdocs/plugin.py:23)
supports_multiple_instances  # unused variable (plugins/execdocs/mkdocs/plugin.py:26)
pytest_collect_file  # unused function (plugins/execdocs/pytest_plugin.py:59)
_.collect  # unused method (plugins/execdocs/pytest_plugin.py:82)
_.collect  # unused method (plugins/execdocs/pytest_plugin.py:104)
_.runtest  # unused method (plugins/execdocs/pytest_plugin.py:122)
_.reportinfo  # unused method (plugins/execdocs/pytest_plugin.py:131)
marker  # unused variable (plugins/execdocs/scan.py:52)
_.process_nested_block  # unused method (plugins/execdocs/scan.py:103)
_.reassemble  # unused method (plugins/execdocs/scan.py:110)
buf  # bytearray += mutates in place (plugins/execdocs/snippets/capture_file.py:258)
buf  # bytearray += mutates in place (plugins/execdocs/snippets/capture_file.py:265)
buf  # bytearray += mutates in place (plugins/execdocs/snippets/capture_file.py:267)
buf  # bytearray += mutates in place (plugins/execdocs/snippets/capture_file.py:270)
_.extendMarkdown  # unused method (plugins/execdocs/snippets/place.py:111)
_.scanned  # PageScrubber's count of pieces scanned: the tests read it to prove the memo saves (plugins/execdocs/secret_guard.py)
__getattr__  # PEP 562 module attribute hook: execdocs' lazy public API (plugins/execdocs/__init__.py)
_.misses  # VerdictMemo's count of verdicts not found: the tests read it to prove the memo is used (plugins/execdocs/snippets/memo.py)
site_phrases  # the definition augment_index is tested against (tests/test_site_exact.py, test_browser.py)
_.line_count  # superfences reads it to clamp hl_lines (plugins/execdocs/snippets/numbering.py)
