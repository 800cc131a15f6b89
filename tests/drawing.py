"""Edits of an Excalidraw scene as a user makes them in the app: a box drawn inside a frame,
an arrow bound between two boxes, a note; each edit saved to the file as the app does."""

from __future__ import annotations

import json
import os
from pathlib import Path

from diagramcheck.writers.excalidraw import SceneBuilder


class Drawing:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.scene = json.loads(path.read_text(encoding="utf-8"))
        count = len(self.scene["elements"])
        self.builder = SceneBuilder(seed=count + 7, first_index=count)
        self.builder.elements = self.scene["elements"]  # edits land in the scene itself
        self.builder.by_id = {e["id"]: e for e in self.scene["elements"]}

    def frame(self, name: str) -> dict:
        return next(e for e in self.scene["elements"] if e["type"] == "frame" and e.get("name") == name)

    def box(self, label: str, frame: str, column: int, row: int) -> dict:
        zone = self.frame(frame)
        return self.builder.box(label, zone["x"] + 30 + column * 220, zone["y"] + 40 + row * 130, frame=zone)

    def arrow(self, source: dict, target: dict) -> dict:
        return self.builder.arrow(source, target)

    def note(self, text: str, x: float, y: float) -> dict:
        return self.builder.text(text, x, y, font_size=16)

    def save(self) -> None:
        """Written as the app's 'save to disk' does: the whole file replaced at once."""
        temporary = self.path.with_name(f".{self.path.name}.saving")
        temporary.write_text(json.dumps(self.scene, indent=2), encoding="utf-8")
        os.replace(temporary, self.path)
