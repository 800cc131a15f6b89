"""Scenes embedded in SVG, PNG and Obsidian notes decode to the same graph as the plain file."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import lzstring
import pytest

from diagramcheck.errors import DiagramError
from diagramcheck.readers import read_bytes, read_path
from tests.conftest import SAMPLES, edges, graph_of
from tests.test_excalidraw_reader import scene_two_boxes


def envelope(scene: dict, compressed: bool = True) -> str:
    raw = json.dumps(scene).encode("utf-8")
    payload = zlib.compress(raw) if compressed else raw
    return json.dumps({"version": "1", "encoding": "bstring", "compressed": compressed, "encoded": payload.decode("latin-1")})


def svg_with(scene: dict, version: int = 2) -> bytes:
    body = base64.b64encode(envelope(scene).encode("latin-1")).decode()
    return (
        '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        "<!-- svg-source:excalidraw --><metadata>"
        "<!-- payload-type:application/vnd.excalidraw+json -->"
        f"<!-- payload-version:{version} --><!-- payload-start -->{body}<!-- payload-end -->"
        "</metadata><rect/></svg>"
    ).encode()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with(scene: dict) -> bytes:
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    pixels = png_chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00"))
    text = png_chunk(b"tEXt", b"application/vnd.excalidraw+json\x00" + envelope(scene).encode("latin-1"))
    return b"\x89PNG\r\n\x1a\n" + header + pixels + text + png_chunk(b"IEND", b"")


def obsidian_with(scene: dict, compressed: bool) -> bytes:
    text = json.dumps(scene, indent="\t")
    if compressed:
        packed = lzstring.LZString().compressToBase64(text)
        block = "```compressed-json\n" + "\n\n".join(packed[i : i + 256] for i in range(0, len(packed), 256)) + "\n```"
    else:
        block = "```json\n" + text + "\n```"
    return ("---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n\n# Excalidraw Data\n## Text Elements\n"
            "Feature pipeline ^x\n\n%%\n## Drawing\n" + block + "\n%%").encode()


EXPECTED = {("Feature pipeline", "Feature store")}


def test_svg_v2_payload():
    assert edges(graph_of(svg_with(scene_two_boxes().scene()), "a.excalidraw.svg")) == EXPECTED


def test_png_payload():
    assert edges(graph_of(png_with(scene_two_boxes().scene()), "a.excalidraw.png")) == EXPECTED


@pytest.mark.parametrize("compressed", [True, False])
def test_obsidian_note(compressed):
    assert edges(graph_of(obsidian_with(scene_two_boxes().scene(), compressed), "a.excalidraw.md")) == EXPECTED


@pytest.mark.parametrize("gap", ["\r\n", "\t", " \u00a0", "\u2028", "\x1c", "\u3000\n"])
def test_obsidian_compressed_block_wrapped_with_any_whitespace(gap):
    note = obsidian_with(scene_two_boxes().scene(), compressed=True).decode()
    head, block, tail = note.partition("```compressed-json\n")[0], *note.partition("```compressed-json\n")[2].split("\n```", 1)
    packed = "".join(block.split("\n\n"))
    rewrapped = gap.join(packed[i : i + 50] for i in range(0, len(packed), 50))
    wrapped = head + "```compressed-json\n" + rewrapped + "\n```" + tail
    assert edges(graph_of(wrapped, "a.excalidraw.md")) == EXPECTED


def test_obsidian_text_elements_section_wins_over_json_text():
    s = scene_two_boxes()
    text = next(e for e in s.elements if e["type"] == "text")
    note = obsidian_with(s.scene(), compressed=False).decode()
    note = note.replace("Feature pipeline ^x", f"Kafka [[streams|event stream]] ^{text['id']}")
    graph = graph_of(note, "a.excalidraw.md")
    assert "Kafka event stream" in {c.label for c in graph.components}


def test_astral_characters_survive_lzstring():
    scene = scene_two_boxes().scene()
    label = next(e for e in scene["elements"] if e["type"] == "text")
    label["originalText"] = label["text"] = "Feature pipeline 🚀"
    graph = graph_of(obsidian_with(scene, compressed=True), "a.excalidraw.md")
    assert "Feature pipeline 🚀" in {c.label for c in graph.components}


def test_svg_without_scene_says_how_to_fix_it():
    with pytest.raises(DiagramError, match="Embed scene"):
        read_bytes(b"<svg><rect/></svg>", "plain.svg")


def test_png_without_scene():
    plain = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", b"\x00" * 13) + png_chunk(b"IEND", b"")
    with pytest.raises(DiagramError, match="no embedded Excalidraw scene"):
        read_bytes(plain, "plain.png")


def test_sample_obsidian_note_reads_its_compressed_drawing():
    graph = graph_of((SAMPLES / "fraud_detection.excalidraw.md").read_bytes(), "fraud_detection.excalidraw.md")
    assert {z.label for z in graph.zones} == {"Online", "Offline"}
    assert ("Fraud model (XGBoost)", "Decision engine (approve / challenge / decline)") in edges(graph)


@pytest.mark.parametrize("name", ["smiley_embedded_v2.svg", "smiley_embedded_v2.png", "test_embedded_v1.svg", "test_embedded_v1.png"])
def test_app_fixtures_from_the_excalidraw_repo(corpus, name):
    path = corpus / "excalidraw" / f"excalidraw__excalidraw__packages__excalidraw__tests__fixtures__{name}"
    sketch = read_path(path)
    assert len(sketch.shapes) + len(sketch.texts) + len(sketch.links) + len(sketch.decorations) >= 1
