"""Which files a run reviews: folders walked as ruff walks them, files named explicitly,
standard input, and the one table of formats a new reader registers into."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagramcheck import formats
from tests.conftest import ROOT, SAMPLES
from tests.test_formats import png_chunk, png_with, svg_with
from tests.test_excalidraw_reader import scene_two_boxes

DOT = (SAMPLES / "ads_ctr.dot").read_bytes()
SCENE = (SAMPLES / "recommendation.excalidraw").read_bytes()
OBSIDIAN = (SAMPLES / "fraud_detection.excalidraw.md").read_bytes()


def reviewed(out: str) -> list[str]:
    return sorted(f["path"] for f in json.loads(out)["files"])


@pytest.fixture
def study(tmp_path, monkeypatch):
    """A study repo as people keep them: sketches in week folders beside notes and images."""
    root = tmp_path / "study"
    (root / "week1").mkdir(parents=True)
    (root / "week2" / "rag").mkdir(parents=True)
    (root / "week1" / "ads.dot").write_bytes(DOT)
    (root / "week2" / "rag" / "recsys.excalidraw").write_bytes(SCENE)
    (root / "week2" / "fraud drawing.md").write_bytes(OBSIDIAN)  # an Obsidian drawing without .excalidraw in its name
    (root / "week2" / "scene.json").write_bytes(SCENE)  # a scene saved as .json
    (root / "week2" / "package.json").write_text('{"name": "not a scene"}', encoding="utf-8")
    (root / "README.md").write_text("# My ML design practice\n\nOne design a week.\n", encoding="utf-8")
    (root / "notes.txt").write_text("digraph looks { like -> dot }\n", encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", b"\0" * 13))
    (root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', encoding="utf-8")
    (root / "export.svg").write_bytes(svg_with(scene_two_boxes().scene()))
    (root / "export.png").write_bytes(png_with(scene_two_boxes().scene()))
    for skipped in (".git/objects", ".venv/lib", "node_modules/pkg", "env"):
        (root / skipped).mkdir(parents=True)
        (root / skipped / "copy.dot").write_bytes(DOT)
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")  # a virtualenv by any name
    monkeypatch.chdir(root)
    return root


def test_a_folder_is_walked_for_what_the_readers_read(study, cli):
    code, out, err = cli("review", "--format", "json", ".")
    assert "Traceback" not in err and code in (0, 1), err
    assert reviewed(out) == sorted([
        "export.png", "export.svg", "week1/ads.dot", "week2/fraud drawing.md",
        "week2/rag/recsys.excalidraw", "week2/scene.json",
    ])
    assert err == ""  # README.md, notes.txt, logo.*, package.json: passed over without a word


def test_no_paths_means_the_current_folder(study, cli):
    code, out, err = cli("review", "--format", "json")
    assert len(reviewed(out)) == 6


def test_names_are_shown_as_walked_from_the_folder_named(study, cli):
    code, out, err = cli("review", "--format", "json", "week2")
    assert reviewed(out) == ["week2/fraud drawing.md", "week2/rag/recsys.excalidraw", "week2/scene.json"]
    code, out, err = cli("review", "--format", "json", str(study / "week1"))
    assert reviewed(out) == [str(study / "week1" / "ads.dot")]


def test_gitignore_is_honoured_inside_a_git_repository(study, cli):
    (study / ".gitignore").write_text("week2/rag/\n*.json\n!scene.json\n", encoding="utf-8")
    (study / "week1" / ".gitignore").write_text("ads.dot\n", encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert reviewed(out) == ["export.png", "export.svg", "week2/fraud drawing.md", "week2/scene.json"]
    code, out, err = cli("review", "--format", "json", "--no-respect-gitignore", ".")
    assert len(reviewed(out)) == 6


def test_gitignore_outside_a_repository_means_nothing(study, cli):
    shutil.rmtree(study / ".git")
    (study / ".gitignore").write_text("*.dot\n", encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert "week1/ads.dot" in reviewed(out)


def test_exclude_from_the_command_line_and_from_config(study, cli):
    code, out, err = cli("review", "--format", "json", "--exclude", "week2/rag,export.*", ".")
    assert reviewed(out) == ["week1/ads.dot", "week2/fraud drawing.md", "week2/scene.json"]
    (study / "week2" / ".diagramcheck.toml").write_text('exclude = ["*.json"]\n', encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert "week2/scene.json" not in reviewed(out) and "week2/fraud drawing.md" in reviewed(out)
    (study / "week2" / ".diagramcheck.toml").unlink()
    (study / "pyproject.toml").write_text('[tool.diagramcheck]\nexclude = ["week1/"]\n', encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert "week1/ads.dot" not in reviewed(out)


def test_an_excluded_file_named_explicitly_is_reviewed_unless_forced(study, cli):
    (study / ".diagramcheck.toml").write_text('exclude = ["week1/"]\n', encoding="utf-8")
    code, out, err = cli("review", "--format", "json", "week1/ads.dot")
    assert reviewed(out) == ["week1/ads.dot"]
    code, out, err = cli("review", "--format", "json", "--force-exclude", "week1/ads.dot", "week2/scene.json")
    assert reviewed(out) == ["week2/scene.json"]


def test_the_corrected_copies_fix_writes_are_not_walked(study, cli):
    """`fix` writes NAME.fixed.EXT beside the sketch: a folder's review is of the user's
    sketches, not of the tool's corrections of them (a copy named explicitly is reviewed)."""
    (study / "week2" / "design.md").write_text("# Design\n\n```mermaid\nflowchart LR\n  A[Data lake] --> B[Training]\n"
                                                "  B --> C[Model server]\n```\n", encoding="utf-8")
    for sketch in ("week1/ads.dot", "week2/rag/recsys.excalidraw", "week2/design.md", "week2/fraud drawing.md"):
        code, _, err = cli("fix", sketch)
        assert code == 0 and "wrote" in err, err
    assert cli("fix", "--format", "svg", "week1/ads.dot")[0] == 0
    written = sorted(str(p.relative_to(study)) for p in study.rglob("*.fixed.*"))
    assert written == ["week1/ads.fixed.dot", "week1/ads.fixed.svg", "week2/design.fixed.md", "week2/fraud drawing.fixed.excalidraw.md",
                       "week2/rag/recsys.fixed.excalidraw"]
    (study / "week1" / "fixed.dot").write_bytes(DOT)  # the user's own names that merely say "fixed"
    (study / "week1" / "v2.fixed-up.dot").write_bytes(DOT)
    code, out, err = cli("review", "--format", "json", ".")
    assert reviewed(out) == sorted([
        "export.png", "export.svg", "week1/ads.dot", "week1/fixed.dot", "week1/v2.fixed-up.dot", "week2/design.md#block1",
        "week2/fraud drawing.md", "week2/rag/recsys.excalidraw", "week2/scene.json",
    ])
    code, out, err = cli("review", "--format", "json", "week1/ads.fixed.dot", "week2/rag")
    assert reviewed(out) == ["week1/ads.fixed.dot", "week2/rag/recsys.excalidraw"]
    # the pre-commit hook passes every staged file with --force-exclude: the copies are left out there too
    code, out, err = cli("review", "--format", "json", "--force-exclude", "week1/ads.fixed.dot", "week1/ads.dot")
    assert reviewed(out) == ["week1/ads.dot"]


def test_explicit_files_of_no_format_are_refused_and_documents_without_a_drawing_skipped(study, cli):
    code, out, err = cli("review", "--format", "json", "notes.txt", "README.md", "week1/ads.dot")
    assert code == 2
    assert "diagramcheck: error: notes.txt: unsupported file type" in err
    assert f"diagramcheck: skipped README.md: {formats.NO_DRAWING}" in err
    document = json.loads(out)
    assert reviewed(out) == ["week1/ads.dot"]
    assert document["errors"] == [{"path": "notes.txt", "message": "unsupported file type"}]


def test_the_shell_glob_of_the_samples_folder_reviews_every_sample(cli):
    """`review sample_diagrams/*` once failed on the folder's README.md."""
    names = sorted(str(p) for p in SAMPLES.iterdir())
    code, out, err = cli("review", "--format", "json", "--fail-on", "never", *names)
    assert code == 0, err
    assert len(reviewed(out)) == len(names) - 1
    assert "skipped" in err and "README.md" in err


def test_explicit_images_without_a_scene_say_what_is_missing(study, cli):
    code, out, err = cli("review", "logo.svg")
    assert code == 2 and "logo.svg" in err and "unsupported" not in err


def test_a_file_named_twice_is_reviewed_once(study, cli):
    code, out, err = cli("review", "--format", "json", "week1", "week1/ads.dot", "./week1/ads.dot")
    assert len(json.loads(out)["files"]) == 1


def test_symlinked_folders_are_not_followed(study, cli):
    (study / "week2" / "loop").symlink_to(study, target_is_directory=True)
    code, out, err = cli("review", "--format", "json", ".")
    assert len(reviewed(out)) == 6


def test_stdin_with_and_without_a_name(study):
    def run(*args: str, data: bytes) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "diagramcheck", "review", *args], input=data,
                              capture_output=True, cwd=study, timeout=120)

    named = run("--format", "json", "--stdin-filename", "week1/piped.dot", "-", data=DOT)
    assert named.returncode in (0, 1), named.stderr
    assert reviewed(named.stdout) == ["week1/piped.dot"]
    anonymous = run("--format", "concise", "-", data=DOT)
    assert anonymous.stdout.decode().startswith("-: score")
    scene = run("--format", "json", "--stdin-filename", "sketch.excalidraw", data=SCENE)  # no `-`: stdin
    assert json.loads(scene.stdout)["files"][0]["path"] == "sketch.excalidraw"
    refused = run("--stdin-filename", "notes.txt", "-", data=DOT)
    assert refused.returncode == 2 and b"notes.txt: unsupported file type" in refused.stderr
    empty = run("-", data=b"")
    assert empty.returncode == 2 and b"-: file is empty" in empty.stderr and b"Traceback" not in empty.stderr


def test_stdin_uses_the_config_of_the_folder_it_is_named_in(study, monkeypatch, cli):
    (study / "week1" / ".diagramcheck.toml").write_text('select = ["data-validation"]\n', encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DOT)))
    code, out, err = cli("review", "--format", "json", "--stdin-filename", "week1/x.dot", "-")
    assert {f["rule"] for f in json.loads(out)["files"][0]["findings"]} == {"data-validation"}


def test_graph_walks_folders_too(study, cli):
    code, out, err = cli("graph", "--format", "json", "week2")
    assert code == 0 and len(json.loads(out)["files"]) == 3


def test_a_new_reader_registers_its_format_and_the_walk_finds_it(study, cli, monkeypatch):
    """Adding a reader touches no walk code: one entry in the table of formats."""
    monkeypatch.setattr(formats, "FORMATS", list(formats.FORMATS))
    (study / "flow.puml").write_text("@startuml\na -> b\n@enduml\n", encoding="utf-8")
    (study / "uml.md").write_text("# Design\n\n```plantuml\na -> b\n```\n", encoding="utf-8")
    assert not formats.may_hold("flow.puml")
    formats.register(formats.Format("plantuml", suffixes=(".puml",), sniffed=formats.DOCUMENTS,
                                    sniff=lambda stream: b"```plantuml" in stream.read(65536)))
    from diagramcheck.files import Excluder, walk

    found = walk(".", Excluder([], True, lambda folder: None))
    assert "flow.puml" in found and "uml.md" in found and "README.md" not in found
    assert "week2/fraud drawing.md" in found  # the Obsidian drawing is still claimed by its own sniff


def test_mermaid_is_in_the_table_the_walk_reads(study):
    """The Mermaid reader's entries: .mmd/.mermaid by name, Markdown with a flowchart block by content."""
    (study / "flow.mmd").write_text("flowchart LR\n  a --> b\n", encoding="utf-8")
    (study / "design.md").write_text("# Design\n\n```mermaid\nflowchart LR\n  a --> b\n```\n", encoding="utf-8")
    (study / "sequence.md").write_text("# Calls\n\n```mermaid\nsequenceDiagram\n  a->>b: hi\n```\n", encoding="utf-8")
    from diagramcheck.files import Excluder, walk

    found = walk(".", Excluder([], True, lambda folder: None))
    assert "flow.mmd" in found and "design.md" in found
    assert "sequence.md" not in found and "README.md" not in found  # no flowchart: no sketch


@pytest.mark.parametrize("name, data, expected", [
    ("a.excalidraw", b"", "excalidraw"),
    ("a.Excalidraw.MD", b"", "obsidian"),
    ("a.dot", b"", "dot"),
    ("a.json", SCENE, "excalidraw"),
    ("a.json", b'{"type": "excalidrawlib"}', None),
    ("a.md", OBSIDIAN, "obsidian"),
    ("a.md", b"# notes", None),
    ("a.svg", svg_with(scene_two_boxes().scene()), "excalidraw-svg"),
    ("a.png", png_with(scene_two_boxes().scene()), "excalidraw-png"),
    ("a.png", b"\x89PNG\r\n\x1a\n", None),
    ("pipeline", b"/* made by dvc */\n// comment\nstrict digraph { a -> b }", "dot"),
    ("pipeline", b"all: build\n", None),
    ("a.txt", DOT, None),
    ("a.drawio", b"", "drawio"),
    ("a.xml", b'<?xml version="1.0"?>\n<mxfile host="app.diagrams.net"><diagram/></mxfile>', "drawio"),
    ("a.xml", b'<?xml version="1.0"?>\n<project><modelVersion/></project>', None),
    ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile&gt;&lt;/mxfile&gt;"><rect/></svg>', "drawio-svg"),
    ("a.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"tEXt", b"mxfile\0%3Cmxfile%3E"), "drawio-png"),
])
def test_formats_by_name_then_by_content(name, data, expected):
    assert formats.detect(name, io.BytesIO(data)) == expected


def test_the_png_scene_chunk_is_found_after_the_image_data():
    """Excalidraw writes its tEXt chunk after IDAT: 90 KB into a real export."""
    scene = png_with(scene_two_boxes().scene())
    head, rest = scene[:33], scene[33:]  # signature + IHDR, then the text chunk and IEND
    padded = head + png_chunk(b"IDAT", b"\0" * 200_000) + rest
    assert formats.detect("x.png", io.BytesIO(padded)) == "excalidraw-png"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["x.md", "x.json", "x.svg", "x.png", "x", "x.txt"]))
def test_detection_never_raises_on_any_content(data, name):
    assert formats.detect(name, io.BytesIO(data)) in (None, *[f.name for f in formats.FORMATS])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"/*", b"*/", b"//", b"\n", b"#", b" ", b"x", b"digraph", b"{"]), max_size=400))
def test_dot_sniff_skips_any_arrangement_of_comments(parts):
    data = b"".join(parts)
    expected = _reference_dot_start(data)
    assert formats.is_dot(io.BytesIO(data)) == expected


def _reference_dot_start(data: bytes) -> bool:
    """A plain, slow statement of the sniff: strip leading blanks and comments, then look."""
    text = data[:4096]
    while True:
        stripped = text.lstrip()
        if stripped.startswith((b"//", b"#")):
            cut = stripped.find(b"\n")
            text = b"" if cut < 0 else stripped[cut + 1:]
        elif stripped.startswith(b"/*"):
            cut = stripped.find(b"*/", 2)
            text = b"" if cut < 0 else stripped[cut + 2:]
        else:
            return stripped[:7].lower() == b"digraph" and (len(stripped) == 7 or not (stripped[7:8].isalnum() or stripped[7:8] == b"_"))


def test_the_whole_corpus_folder_in_one_call(corpus):
    """Every corpus file, walked from the folder: no traceback, every drawing the readers
    know reviewed or refused with a reason, and nothing else picked up."""
    done = subprocess.run([sys.executable, "-m", "diagramcheck", "review", "--format", "json", str(corpus)],
                          capture_output=True, timeout=300, cwd=ROOT)
    assert b"Traceback" not in done.stderr
    document = json.loads(done.stdout)
    seen = {f["path"] for f in document["files"]} | {e["path"] for e in document["errors"]}
    claimed = {str(p) for p in corpus.rglob("*") if p.is_file() and formats.claimed(p.name)}
    assert claimed <= seen
    assert not any(p.endswith((".tsv", ".jsonl")) for p in seen)
    # Mermaid: each flowchart block of a Markdown file (`README.md#block2`), a .mmd whole; documents
    # whose blocks are all of other diagram types are passed over
    documents = sorted((corpus / "mermaid").glob("*.*[dx]"))
    sketches = {str(p) for p in documents if formats.detect(p.name, io.BytesIO(p.read_bytes())) is not None}
    assert {formats.split_block_name(p)[0] for p in seen if os.sep + "mermaid" + os.sep in p} == sketches
    assert len(sketches) > 20
    assert os.path.join(str(corpus), "excalidraw", "Enfant-de-lumiere__mlops__architecture.excalidraw.png") in seen
    # exports named like any picture, taken for the diagram they carry
    assert os.path.join(str(corpus), "drawio", "mercari__ml-system-design-pattern__Serving-patterns__Batch-pattern__diagram.png") in seen
    assert os.path.join(str(corpus), "drawio", "swiss-ai-center__a-guide-to-mlops__docs__assets__images__ml_system.svg") in seen
