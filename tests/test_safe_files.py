"""Reading and writing files safely (issue 21): one reader with the size limit for every
file the tool opens, nothing that is not a regular file, and writes that never land on an
input or follow a symbolic link. Each case runs beside a good sketch, which is still
reviewed."""

from __future__ import annotations

import json
import os
import threading

import pytest

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.file_reader import read_file
from diagramcheck.limits import LIMITS
from tests.conftest import SAMPLES

GOOD = SAMPLES / "recommendation.excalidraw"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _reviewed(out: str) -> list[str]:
    return [f["path"] for f in json.loads(out)["files"]]


# --- reading ----------------------------------------------------------------------------


@needs_fifo
def test_a_named_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.excalidraw"
    os.mkfifo(fifo)
    with pytest.raises(DiagramError, match=r"not a regular file \(a FIFO\)"):
        read_file(fifo)


def test_a_device_is_refused_before_it_is_read():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(DiagramError, match=r"not a regular file \(a character device\)"):
        read_file("/dev/zero")


def test_the_size_limit_holds_for_every_reader_of_files(tmp_path, monkeypatch):
    monkeypatch.setattr("diagramcheck.file_reader.LIMITS", type(LIMITS)(max_file_bytes=1_000))
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 1_001)
    with pytest.raises(LimitExceeded, match="file size is 1,001, over the limit of 1,000"):
        read_file(big)


@needs_fifo
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_as_input_baseline_fix_and_config_baseline(cli, tmp_path, kind):
    if kind == "device":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        special = "/dev/zero"
    else:
        special = str(tmp_path / "pipe.excalidraw")
        os.mkfifo(special)
    code, out, err = cli("review", "--format", "json", special, str(GOOD))
    assert code == 2 and "not a regular file" in err and _reviewed(out) == [str(GOOD)]
    code, _, err = cli("fix", special, "-o", str(tmp_path / "out.excalidraw"))
    assert code == 2 and "not a regular file" in err and not (tmp_path / "out.excalidraw").exists()
    code, _, err = cli("review", "--baseline", special, str(GOOD))
    assert code == 2 and "cannot read the baseline: not a regular file" in err
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / ".diagramcheck.toml").write_text(f'baseline = "{special}"\n')
    sketch = folder / "s.excalidraw"
    sketch.write_bytes(GOOD.read_bytes())
    code, _, err = cli("review", str(sketch))
    assert code == 2 and "not a regular file" in err


@pytest.mark.parametrize("document", [
    {"version": 1, "findings": [{"file": "a", "rule": "x", "components": 3}]},
    {"version": 1, "findings": [{"file": [], "rule": "x", "components": []}]},
    {"version": 1, "findings": [{"file": "a", "rule": "x", "components": [1]}]},
    {"version": 1, "findings": "all of them"},
])
def test_a_malformed_baseline_is_a_plain_error(cli, tmp_path, document):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(document))
    code, out, err = cli("review", "--baseline", str(baseline), str(GOOD))
    assert code == 2 and f"{baseline}: not a diagramcheck baseline" in err and "Traceback" not in err + out


def test_progress_reads_git_blobs_with_the_size_limit(tmp_path, monkeypatch):
    import subprocess

    from diagramcheck.progress import history

    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "big.dot").write_text("digraph { " + "a -> b; " * 500 + "}")
    (repo / ("name-\udcff.dot")).write_bytes((SAMPLES / "ads_ctr.dot").read_bytes())
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    monkeypatch.setattr("diagramcheck.limits.LIMITS", type(LIMITS)(max_file_bytes=3_000))
    points = {p.path: p for p in history(repo)}
    assert "over the limit of 3,000" in points["big.dot"].error
    assert points["name-\udcff.dot"].score is not None  # a name that is not UTF-8 is reviewed


# --- writing ----------------------------------------------------------------------------


def _link(tmp_path, live: bool):
    target = tmp_path / "elsewhere" / "target.txt"
    target.parent.mkdir()
    if live:
        target.write_bytes(b"precious")
    return target


@pytest.mark.parametrize("live", [False, True])
def test_output_through_a_symlink_is_refused_and_force_replaces_the_link(cli, tmp_path, live):
    target = _link(tmp_path, live)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    code, _, err = cli("review", "--format", "json", "-o", str(link), str(GOOD))
    assert code == 2 and "is a symbolic link" in err
    assert target.read_bytes() == b"precious" if live else not target.exists()
    code, _, err = cli("review", "--format", "json", "-o", str(link), "--force", str(GOOD))
    assert code == 1, err  # findings, written
    assert not link.is_symlink() and _reviewed(link.read_text()) == [str(GOOD)]
    assert target.read_bytes() == b"precious" if live else not target.exists()


def test_fix_default_output_through_a_dangling_symlink_is_refused(cli, tmp_path):
    sketch = tmp_path / "design.excalidraw"
    sketch.write_bytes(GOOD.read_bytes())
    target = _link(tmp_path, live=False)
    (tmp_path / "design.fixed.excalidraw").symlink_to(target)
    code, _, err = cli("fix", str(sketch))
    assert code == 2 and "is a symbolic link" in err and not target.exists()


def test_init_never_writes_through_a_dangling_symlink(cli, tmp_path):
    target = _link(tmp_path, live=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".diagramcheck.toml").symlink_to(target)
    code, _, err = cli("init", str(repo))
    assert code == 0 and "left as it is" in err and not target.exists()
    assert (repo / ".pre-commit-config.yaml").is_file()  # the other file is written


@pytest.mark.parametrize("how", ["the input", "a hard link", "a symlink"])
def test_an_input_is_never_overwritten_even_with_force(cli, tmp_path, how):
    sketch = tmp_path / "design.excalidraw"
    sketch.write_bytes(GOOD.read_bytes())
    target = tmp_path / "other.json"
    if how == "the input":
        target = sketch
    elif how == "a hard link":
        os.link(sketch, target)
    else:
        target.symlink_to(sketch)
    code, _, err = cli("review", "--format", "json", "--force", "-o", str(target), str(sketch))
    assert code == 2 and "refusing to overwrite an input file" in err
    assert sketch.read_bytes() == GOOD.read_bytes()


def test_write_baseline_onto_an_input_is_refused(cli, tmp_path):
    sketch = tmp_path / "design.excalidraw"
    sketch.write_bytes(GOOD.read_bytes())
    code, _, err = cli("review", "--write-baseline", str(sketch), str(sketch))
    assert code == 2 and "refusing to overwrite an input file" in err
    assert sketch.read_bytes() == GOOD.read_bytes()


def test_a_write_is_atomic_and_leaves_no_temporary_file(cli, tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old")
    code, _, _ = cli("review", "--format", "json", "-o", str(out), "--force", str(GOOD))
    assert code == 1 and _reviewed(out.read_text()) == [str(GOOD)]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/fd here")
def test_process_substitution_is_still_read(cli):
    read_end, write_end = os.pipe()
    data = (SAMPLES / "ads_ctr.dot").read_bytes()
    writer = threading.Thread(target=lambda: os.write(write_end, data) and os.close(write_end))
    writer.start()
    try:
        code, out, err = cli("review", "--format", "json", f"/dev/fd/{read_end}")
    finally:
        writer.join(timeout=10)
        os.close(read_end)
    assert code in (0, 1), err


@needs_fifo
def test_practice_state_files_that_are_fifos_or_devices_are_refused_not_waited_on(tmp_path):
    """The journal and the open sessions live in the repository: a cloned one may hold a FIFO
    or a link to /dev/zero there."""
    from diagramcheck import journal, practice

    state = practice.state_dir(tmp_path)
    state.mkdir()
    os.mkfifo(journal.journal_path(tmp_path))
    assert not journal.read(tmp_path).attempts  # read as empty, without waiting for a writer
    os.symlink("/dev/zero", state / practice.SESSIONS)
    with pytest.raises(DiagramError, match=r"not a regular file \(a character device\)"):
        practice.open_sessions(tmp_path)
