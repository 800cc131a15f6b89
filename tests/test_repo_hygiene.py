"""What a user of the repository expects around the code: a license that matches the
metadata, a changelog, a documented tag for pre-commit's `rev:`, and a README that says
its first command's exit status is the review's verdict."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from diagramcheck import __version__
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_license_file_is_the_license_the_metadata_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_the_changelog_knows_this_version_and_the_tag_convention():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog and "## [Unreleased]" in changelog
    assert "`v<version>`" in changelog


def test_the_readme_pins_the_hook_to_a_version_tag():
    revs = re.findall(r"^\s*rev: (\S+)", README, re.M)
    assert f"v{__version__}" in revs
    assert "Version tags" in README and "`v` + the version in `pyproject.toml`" in README


def test_the_readme_says_what_the_first_commands_exit_status_means():
    first = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    command = first.strip().split("&& ")[-1].split()
    assert command[:2] == ["diagramcheck", "review"]
    done = subprocess.run([sys.executable, "-m", "diagramcheck", *command[1:]], cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 1  # the sample's gaps are on purpose
    after = README[README.index(first):][:800]
    assert "exit status 1" in after and "verdict" in after



def test_the_readmes_sample_review_is_what_the_tool_prints(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    block = README.split("## What a review looks like", 1)[1].split("```", 2)[1]
    code, out, _ = cli("review", "sample_diagrams/recommendation.excalidraw")
    printed = " ".join(out.split())
    for line in block.splitlines():
        shown = " ".join(line.split())
        if shown and shown != "...":
            assert shown in printed, shown


def test_install_instructions_are_ones_a_user_can_run():
    """diagramcheck is not on PyPI: nothing tells a user `pip install diagramcheck` or
    links a PyPI page; the CI example installs the checkout it keeps in the repo."""
    import yaml

    from diagramcheck.init import CONFIG, PRECOMMIT

    sources = {"README.md": README, "init's config": CONFIG, "init's pre-commit config": PRECOMMIT,
               "sarif.py": (ROOT / "diagramcheck" / "reporters" / "sarif.py").read_text(encoding="utf-8"),
               "CHANGELOG.md": (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")}
    for name, text in sources.items():
        assert not re.search(r"pip install +(-U +|--upgrade +)?['\"]?diagramcheck\b", text), name
        assert "pypi.org/project/diagramcheck" not in text, name
    workflow = yaml.safe_load(README.split("### CI (GitHub Actions)", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["review"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    installs = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert checkout.get("with", {}).get("submodules") is True
    assert installs == ["pip install ./tools/diagramcheck"]
    assert "git submodule add" in README and "tools/diagramcheck" in README
    # the first two commands stay as they were: install the checkout, review a sample; run the tests
    assert "pip install . && diagramcheck review sample_diagrams/recommendation.excalidraw" in README
    assert "pip install '.[test]' && python -m pytest -q tests" in README


def test_the_readme_counts_the_rules_the_packs_hold():
    from diagramcheck.packs import catalog_for

    stated = re.search(r"^(\d+) rules in (\w+) packs", README, re.M)
    packs = {rule.pack for rule in catalog_for().rules} if hasattr(catalog_for().rules[0], "pack") else None
    assert stated and int(stated.group(1)) == len(catalog_for().rules)
    if packs is not None:
        words = {"five": 5, "six": 6, "seven": 7}
        assert words.get(stated.group(2)) == len(packs)
