"""Store abuse: what sits where a capture or session file is expected is never followed,
never read when it is not a regular file, never quoted in a message, and never hangs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from execdocs.capture import record
from execdocs.problems import ExecDocsError
from execdocs.snippets import store
from execdocs.snippets.store import Capture, Session, load_store, save_capture, save_session

TOKEN = "K10" + "ab" * 32 + "::server:" + "5e" * 16  # what a node-token file holds


def _session(root: Path, name: str = "lab") -> Path:
    folder = root / name
    save_session(Session(name=name, system="test box", provenance="illustrative"), folder)
    save_capture(Capture(command="uname", run="uname", stdout=b"Linux\n"),
                 folder / "uname.capture")
    return folder


def _problems(root: Path, **kw: int) -> list[str]:
    return [p.format() for p in load_store(root, **kw).problems]


def _assert_clean(messages: list[str], *, secret: str = TOKEN) -> None:
    assert messages, "expected a problem"
    for text in messages:
        assert secret not in text and "Traceback" not in text
        assert secret[3:20] not in text


def test_symlink_out_of_captures_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "node-token"
    secret.write_text(TOKEN + "\n")
    folder = _session(tmp_path / "captures")
    (folder / "token.capture").symlink_to(secret)
    messages = _problems(tmp_path / "captures")
    _assert_clean(messages)
    assert any("token.capture" in m and "symbolic link" in m for m in messages)
    assert len(load_store(tmp_path / "captures").sessions["lab"].captures) == 1  # rest loads


def test_dangling_symlink_and_symlinked_session_file(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    (folder / "gone.capture").symlink_to(tmp_path / "nowhere")
    other = _session(tmp_path / "captures", "other")
    (other / "session.yml").unlink()
    (other / "session.yml").symlink_to(tmp_path / "nowhere")
    messages = _problems(tmp_path / "captures")
    assert any("gone.capture" in m and "symbolic link" in m for m in messages)
    assert any("other/session.yml" in m and "symbolic link" in m for m in messages)


def test_symlinked_session_folder_is_not_followed(tmp_path: Path) -> None:
    outside = _session(tmp_path / "elsewhere")
    (tmp_path / "captures").mkdir()
    (tmp_path / "captures" / "lab").symlink_to(outside, target_is_directory=True)
    loaded = load_store(tmp_path / "captures")
    assert "lab" not in loaded.sessions
    assert "symbolic link" in loaded.problems[0].message


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    os.mkfifo(folder / "pipe.capture")  # opening it for reading would block without a writer
    messages = _problems(tmp_path / "captures")
    assert any("pipe.capture" in m and "FIFO" in m for m in messages)


def test_device_symlink_and_dev_zero(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    (folder / "zero.capture").symlink_to("/dev/zero")  # endless: would never finish reading
    with pytest.raises(store.StoreError) as info:
        store.read_regular(Path("/dev/zero"))
    assert "a device" in info.value.problem.message
    assert any("zero.capture" in m for m in _problems(tmp_path / "captures"))


def test_directory_named_like_a_capture(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    (folder / "x.capture").mkdir()
    messages = _problems(tmp_path / "captures")
    assert any("x.capture" in m and "a directory" in m for m in messages)


def test_oversized_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    save_capture(Capture(command="big", run="big", stdout=b"x" * 5000 + b"\n"),
                 folder / "big.capture")
    assert not _problems(tmp_path / "captures")  # under the default 1 MB
    messages = _problems(tmp_path / "captures", max_bytes=1000)
    assert any("big.capture" in m and "over the limit of 1000" in m for m in messages)


def test_a_file_that_grew_after_its_size_was_read_is_read_whole_or_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # read_regular reads the size fstat gave, then on to the limit: a file that grew in
    # between (fstat made to report fewer bytes than are there) loses nothing, and one that
    # grew over the limit is refused
    path = tmp_path / "grown.capture"
    path.write_bytes(b"y" * 3000)
    real_fstat, real_lstat = os.fstat, os.lstat

    def short(st: os.stat_result) -> os.stat_result:
        fields = list(st)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", lambda fd: short(real_fstat(fd)))
    monkeypatch.setattr(os, "lstat", lambda p: short(real_lstat(p)))
    assert store.read_regular(path) == b"y" * 3000
    assert store.read_regular(path, max_bytes=3000) == b"y" * 3000
    with pytest.raises(store.StoreError) as info:
        store.read_regular(path, max_bytes=2999)
    assert "grew over the limit of 2999" in info.value.problem.message


def test_a_token_file_copied_in_as_a_capture_is_not_quoted(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    (folder / "token.capture").write_text(TOKEN + "\n")
    (folder.parent / "bad").mkdir()
    (folder.parent / "bad" / "session.yml").write_text(f"{TOKEN}: [\n")  # broken YAML
    messages = _problems(tmp_path / "captures")
    _assert_clean(messages)
    assert any("token.capture:1" in m for m in messages)
    assert any("bad/session.yml" in m and "not valid YAML" in m for m in messages)


def test_unknown_session_key_holding_a_token_is_redacted(tmp_path: Path) -> None:
    folder = tmp_path / "captures" / "lab"
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text(f"system: x\nprovenance: captured\n{TOKEN}: 1\n")
    _assert_clean(_problems(tmp_path / "captures"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                                 "//evil.example/x", "ftp://x.example/y"])
def test_source_links_must_be_http_or_relative(tmp_path: Path, url: str) -> None:
    folder = _session(tmp_path / "captures")
    save_capture(Capture(command="a", run="a", source=url), folder / "a.capture")
    (tmp_path / "captures" / "ref").mkdir()
    (tmp_path / "captures" / "ref" / "session.yml").write_text(
        f'system: x\nprovenance: reference\nsource: "{url}"\n')
    problems = load_store(tmp_path / "captures").problems
    assert {Path(p.path).name for p in problems} == {"a.capture", "session.yml"}
    assert all("http(s) URL or a relative link" in p.message for p in problems)
    assert [p.line for p in problems if p.path.endswith("a.capture")] == [2]


def test_http_and_relative_sources_load(tmp_path: Path) -> None:
    folder = _session(tmp_path / "captures")
    save_capture(Capture(command="a", run="a", source="https://kubernetes.io/docs/x"),
                 folder / "a.capture")
    save_capture(Capture(command="b", run="b", source="../notes/b.md"), folder / "b.capture")
    assert not load_store(tmp_path / "captures").problems


def test_written_files_are_0644(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        folder = _session(tmp_path / "captures")
    finally:
        os.umask(old)
    for name in ("session.yml", "uname.capture"):
        assert stat.S_IMODE(os.stat(folder / name).st_mode) == 0o644, name


@pytest.mark.parametrize("name", ["../out", "a/b", ".hidden", "..", "", "x/../../y"])
def test_session_names_must_be_plain(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExecDocsError) as info:
        record.record([], None, tmp_path / "captures", name, record.CaptureOptions())  # type: ignore[arg-type]
    assert "not a plain name" in str(info.value)
    assert not (tmp_path / "out").exists() and not (tmp_path / "captures").exists()


def test_plain_session_names_pass() -> None:
    for name in ("k3s-lab", "k8s_docs.v1", "lab2"):
        store.check_session_name(name)
