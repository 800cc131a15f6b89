"""The on-disk cache of the validated catalog and lexicon (cache.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from diagramcheck import cache
from diagramcheck.cache import cached
from diagramcheck.kinds import builtin_patterns_dir, default_lexicon, load_lexicon_file
from diagramcheck.packs import load_catalog

ROOT = Path(__file__).resolve().parent.parent


def counting_build(calls: list[int], value: object):
    def build():
        calls.append(1)
        return value

    return build


def test_built_once_then_read_back_until_a_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DIAGRAMCHECK_NO_CACHE", raising=False)
    source = tmp_path / "pack.toml"
    source.write_text("a = 1\n", encoding="utf-8")
    calls: list[int] = []
    first = cached("test", [source], "", counting_build(calls, {"rules": [1, 2]}))
    second = cached("test", [source], "", counting_build(calls, {"rules": "rebuilt"}))
    assert first == second == {"rules": [1, 2]}
    assert len(calls) == 1
    source.write_text("a = 2\n", encoding="utf-8")
    assert cached("test", [source], "", counting_build(calls, "new")) == "new"
    assert len(calls) == 2


def test_a_corrupt_or_unwritable_cache_only_costs_a_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DIAGRAMCHECK_NO_CACHE", raising=False)
    source = tmp_path / "pack.toml"
    source.write_text("a = 1\n", encoding="utf-8")
    cached("test", [source], "", lambda: [1])
    (entry,) = (tmp_path / "cache" / "diagramcheck").glob("test-*.pickle")
    entry.write_bytes(b"\x80\x05not a pickle")
    assert cached("test", [source], "", lambda: [2]) == [2]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cached("test", [source], "", lambda: [3]) == [3]


def test_old_entries_are_pruned_and_used_ones_kept(tmp_path, monkeypatch):
    """Every edited pack or upgrade makes a new key: without pruning the folder only grows
    (a development machine had 416 entries, 63 MB)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DIAGRAMCHECK_NO_CACHE", raising=False)
    folder = tmp_path / "cache" / "diagramcheck"
    source = tmp_path / "pack.toml"
    source.write_text("a = 1\n", encoding="utf-8")
    for i in range(cache.KEEP + 3):
        cached("test", [source], f"old {i}", lambda: i)
    assert len(list(folder.glob("test-*.pickle"))) == cache.KEEP
    earlier = set(folder.glob("test-*.pickle"))
    cached("test", [source], "in use", lambda: "kept")
    (used,) = set(folder.glob("test-*.pickle")) - earlier
    cached("other", [source], "", lambda: "another kind")
    folder.joinpath(".tmp-crashed").write_bytes(b"half a pickle")
    folder.joinpath(".tmp-writing").write_bytes(b"a write in progress")
    hours_ago = time.time() - 7200
    for path in folder.iterdir():
        os.utime(path, (hours_ago, hours_ago))
    os.utime(folder / ".tmp-writing")
    os.utime(used, (hours_ago - 3600, hours_ago - 3600))  # the oldest of all, until it is read
    assert cached("test", [source], "in use", lambda: "rebuilt") == "kept"  # a read marks it used
    before = set(folder.glob("test-*.pickle"))
    for i in range(2):
        cached("test", [source], f"new {i}", lambda: i)
    entries = set(folder.glob("test-*.pickle"))
    assert len(entries) == cache.KEEP
    assert used in entries and len(entries - before) == 2  # the used one and both new ones
    assert len(list(folder.glob("other-*.pickle"))) == 1  # another kind is not touched
    assert not (folder / ".tmp-crashed").exists()
    assert (folder / ".tmp-writing").exists()  # may be another run's write in progress


def test_switched_off_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DIAGRAMCHECK_NO_CACHE", "1")
    source = tmp_path / "pack.toml"
    source.write_text("a = 1\n", encoding="utf-8")
    calls: list[int] = []
    for _ in range(2):
        cached("test", [source], "", counting_build(calls, 1))
    assert len(calls) == 2
    assert not (tmp_path / "cache").exists()


def test_the_cached_catalog_and_lexicon_equal_freshly_validated_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DIAGRAMCHECK_NO_CACHE", raising=False)
    lexicon = load_lexicon_file(builtin_patterns_dir() / "kinds.toml")
    kinds, categories = set(lexicon.kinds) | {"unknown"}, set(lexicon.category.values())
    packs = builtin_patterns_dir() / "packs"
    sources = sorted(packs.glob("*.toml"))

    def build():
        return load_catalog([packs], kinds, categories)

    written = cached("catalog", sources, "", build)
    read_back = cached("catalog", sources, "", lambda: None)
    assert read_back is not None and read_back is not written
    assert read_back.rules == build().rules  # the rules are dataclasses: compared field by field
    assert read_back.groups == written.groups and read_back.problem_words == written.problem_words
    cached_lexicon = cached("lexicon", [builtin_patterns_dir() / "kinds.toml"], "", lambda: lexicon)
    again = cached("lexicon", [builtin_patterns_dir() / "kinds.toml"], "", lambda: None)
    assert again.spec == cached_lexicon.spec == default_lexicon().spec
    assert again.classify("Feature store (Feast)") == lexicon.classify("Feature store (Feast)")


def test_a_review_with_a_warm_cache_never_imports_pydantic(tmp_path):
    """pydantic validates the data files; once they are cached a review has no use for it
    (importing it is some 100 ms of every start)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("DIAGRAMCHECK_NO_CACHE", None)
    code = (
        "import sys\n"
        "from diagramcheck.cli import main\n"
        "try:\n"
        "    main(['review', '--format', 'json', '-o', sys.argv[2], '--force', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'tomllib')))\n"
    )
    sample = str(ROOT / "sample_diagrams" / "recommendation.excalidraw")
    out = str(tmp_path / "out.json")
    runs = [subprocess.run([sys.executable, "-c", code, sample, out], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=True) for _ in range(2)]
    assert "pydantic" in runs[0].stdout  # the first run validated and cached the packs
    assert runs[1].stdout.strip() == "[]"
    assert Path(out).stat().st_size > 1000
