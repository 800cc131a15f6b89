"""The installed package carries its pattern data: run from outside the checkout, with the
checkout off the path, the packs and the lexicon are found inside the installed package."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = (
    "import diagramcheck, diagramcheck.kinds as k; from pathlib import Path; "
    "d = k.builtin_patterns_dir(); "
    "print(Path(diagramcheck.__file__).resolve().parent, d, (d / 'kinds.toml').is_file(), (d / 'packs' / 'core.toml').is_file())"
)


def test_pattern_data_ships_with_the_package(tmp_path):
    out = subprocess.run([sys.executable, "-I", "-c", PROBE], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    package, patterns, has_kinds, has_core = out.stdout.split()
    assert has_kinds == "True" and has_core == "True"
    if not package.startswith(str(ROOT)):  # a real (non-editable) install: data must be inside it
        assert patterns.startswith(package), (package, patterns)
