"""``oaik export -o`` never replaces what is not a regular file, and permission problems are exit 2 (issue 9, points 6-7)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

EXPORT = ["export", "--format", "ntriples", "--only", "ontology"]
OAIK = [sys.executable, "-c", "from oaik.cli import main; main()"]


def run_cli(*args: str, capsys) -> tuple[int, str, str]:
    from oaik.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def expected() -> bytes:
    return subprocess.run([*OAIK, *EXPORT], capture_output=True, check=True).stdout


def one_paragraph(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err and "internal error" not in err


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_is_written_to_not_replaced(tmp_path, capsys):
    """A copy of /dev/full: as root the export used to replace the node with a regular file."""
    full = tmp_path / "full"
    try:
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError as error:
        pytest.skip(f"cannot make a device node here ({error.strerror})")
    code, out, err = run_cli(*EXPORT, "-o", str(full), capsys=capsys)
    assert stat.S_ISCHR(full.lstat().st_mode), "the device node was replaced"
    assert code == 2 and out == "" and one_paragraph(err)
    assert "No space left on device" in err and str(full) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_dev_null_is_written_to(capsys):
    before = os.stat("/dev/null")
    code, out, err = run_cli(*EXPORT, "-o", "/dev/null", capsys=capsys)
    assert code == 0 and out == "" and err == ""
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_fifo_is_written_through(tmp_path, capsys, expected):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)  # never blocks the run if the FIFO was replaced
    reader.start()
    code, _, err = run_cli(*EXPORT, "-o", str(fifo), capsys=capsys)
    reader.join(30)
    assert code == 0, err
    assert received == [expected]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_dev_stdout_writes_to_standard_output(tmp_path, expected):
    result = subprocess.run([*OAIK, *EXPORT, "-o", "/dev/stdout"], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    # appended to what the shell opened, not truncated nor replaced
    log = tmp_path / "log.nt"
    log.write_bytes(b"# kept\n")
    with open(log, "ab") as appending:
        done = subprocess.run([*OAIK, *EXPORT, "-o", "/dev/stdout"], stdout=appending, stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    assert log.read_bytes() == b"# kept\n" + expected


def test_a_symlink_is_written_through_to_its_target(tmp_path, capsys, expected):
    target = tmp_path / "real" / "oaik.nt"
    target.parent.mkdir()
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    code, _, err = run_cli(*EXPORT, "-o", str(link), capsys=capsys)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["oaik.nt"]


def test_a_dangling_symlink_creates_its_target(tmp_path, capsys, expected):
    target = tmp_path / "new.nt"
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    code, _, err = run_cli(*EXPORT, "-o", str(link), capsys=capsys)
    assert code == 0, err
    assert link.is_symlink() and target.read_bytes() == expected


def test_a_regular_file_is_replaced_atomically_keeping_its_permissions(tmp_path, capsys, expected):
    target = tmp_path / "oaik.nt"
    target.write_bytes(b"old")
    target.chmod(0o600)
    inode = target.stat().st_ino
    code, _, err = run_cli(*EXPORT, "-o", str(target), capsys=capsys)
    assert code == 0, err
    assert target.read_bytes() == expected and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_ino != inode, "a new file renamed into place, not rewritten in place"


def test_chunks_are_streamed_and_an_error_keeps_the_old_file(tmp_path):
    from oaik.publish.output import open_output, write

    target = tmp_path / "out.nt"
    write(iter([b"a", b"b", b"c"]), target)
    assert target.read_bytes() == b"abc"
    with pytest.raises(RuntimeError), open_output(target) as stream:
        stream.write(b"half")
        raise RuntimeError("the producer failed")
    assert target.read_bytes() == b"abc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nt"]


# --- as a user without privileges ---------------------------------------------------------


def _as_nobody(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def nobody_dir():
    """A folder user nobody can enter, outside pytest's private tmp folder."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the export as user nobody")
    folder = Path(tempfile.mkdtemp(prefix="oaik-nobody-"))
    folder.chmod(0o777)
    probe = _as_nobody([*OAIK, "--version"], str(folder))
    if probe.returncode != 0:
        shutil.rmtree(folder)
        pytest.skip(f"user nobody cannot run this Python/oaik checkout: {probe.stderr.strip()[-200:]}")
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o777)
    shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("setup", "output", "message"),
    [
        ("unreadable", "closed/out.nt", "closed"),
        ("unreadable", "closed/sub/out.nt", "closed"),
        ("unwritable", "locked/out.nt", "not writable"),
        ("read-only file", "ro.nt", "read-only"),
        ("missing", "missing/out.nt", "does not exist"),
    ],
)
def test_permission_problems_as_a_user_are_exit_2(nobody_dir, setup, output, message):
    if setup == "unreadable":
        (nobody_dir / "closed").mkdir(mode=0o000)
        (nobody_dir / "closed").chmod(0o000)
    elif setup == "unwritable":
        (nobody_dir / "locked").mkdir()
        (nobody_dir / "locked").chmod(0o555)
    elif setup == "read-only file":
        (nobody_dir / "ro.nt").write_bytes(b"old")
        (nobody_dir / "ro.nt").chmod(0o444)
    result = _as_nobody([*OAIK, *EXPORT, "-o", str(nobody_dir / output)], str(nobody_dir))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and one_paragraph(result.stderr)
    assert result.stdout == ""
    if setup == "read-only file":
        assert (nobody_dir / "ro.nt").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "dcat", "--endpoint", "x y"], "white space"),
        (["--format", "void", "--endpoint", "x>y"], "is not an http(s) URL"),
        (["--format", "dcat", "--download-base", "x y"], "white space"),
        (["--format", "void", "--download-base", "http://a/<b>"], "is not a valid URL"),
        (["--format", "dcat", "--syntax", "jsonld", "--endpoint", "x y"], "white space"),
        (["--format", "dcat", "--endpoint", "file:///etc/passwd"], "is not an http(s) URL"),
        (["--format", "void", "--endpoint", "http://u:secret@h/sparql"], "do not put credentials in the URL"),
    ],
)
def test_a_malformed_endpoint_or_download_base_is_a_usage_error(tmp_path, capsys, args, message):
    """They were internal errors (exit 70: "ValueError: Invalid IRI code point ' '")."""
    kept = tmp_path / "record.ttl"
    kept.write_text("kept\n", encoding="utf-8")
    code, out, err = run_cli("export", *args, "-o", str(kept), capsys=capsys)
    assert code == 2 and out == "" and one_paragraph(err) and message in err, err
    assert "secret" not in err and ("--endpoint" in err or "--download-base" in err)
    assert kept.read_text(encoding="utf-8") == "kept\n"
