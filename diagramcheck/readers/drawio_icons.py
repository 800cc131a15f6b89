"""draw.io icon styles -> what the icon depicts and the kind it hints (patterns/drawio_icons.toml).

The table is data, validated when read (unknown keys, kinds that are not contract
kinds), failing with file and line like the lexicon and the packs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from diagramcheck.errors import PatternError
from diagramcheck.tomlio import STRICT, SchemaError, describe, line_of, load_toml, validated

ICON_KEYS = ("resIcon", "prIcon", "grIcon", "shape")  # the specific icon first, its frame last
_IMAGE_LIBRARY = re.compile(r"^img/lib/([A-Za-z0-9_]+)/(?:[^;]*/)?([A-Za-z0-9_.-]+)\.(?:svg|png)$")


@dataclass
class Icon:
    __pydantic_config__ = STRICT
    name: str
    kind: str | None = None  # None: the icon names a product of no single role (hosting, registries of images)


@dataclass
class IconFile:
    __pydantic_config__ = STRICT
    version: int = 1
    icons: dict[str, Icon] = field(default_factory=dict)


def load_icon_file(path: Path, kinds: set[str]) -> dict[str, Icon]:
    data, text = load_toml(path)
    try:
        spec = validated(IconFile, data)
    except SchemaError as exc:
        loc = exc.errors[0]["loc"]
        key = str(loc[1]) if len(loc) > 1 and loc[0] == "icons" else None
        raise PatternError(f"{path}:{line_of(text, 'icons' if key else None, key)}: {describe(exc)}") from None
    for key, icon in spec.icons.items():
        if icon.kind is not None and icon.kind not in kinds:
            raise PatternError(f"{path}:{line_of(text, 'icons', key)}: icons.{key}: unknown kind {icon.kind!r}")
    return {key.lower(): icon for key, icon in spec.icons.items()}


_TABLE: dict[str, Icon] | None = None


def icon_table() -> dict[str, Icon]:
    global _TABLE
    if _TABLE is None:
        from diagramcheck.cache import cached
        from diagramcheck.kinds import builtin_patterns_dir, default_lexicon

        path = builtin_patterns_dir() / "drawio_icons.toml"
        kinds = set(default_lexicon().kinds)
        _TABLE = cached("drawio-icons", [path], "", lambda: load_icon_file(path, kinds))
    return _TABLE


def icon_keys(style: dict[str, str]) -> list[str]:
    """The names a style gives its icon, most specific first."""
    keys = []
    library = style.get("shape", "").rpartition(".")[0]
    for attribute in ICON_KEYS:
        value = style.get(attribute)
        if not value:
            continue
        if "." not in value and library and attribute != "shape":
            value = f"{library}.{value}"
        keys.append(value.lower())
    image = _IMAGE_LIBRARY.match(style.get("image", ""))
    if image:
        keys.append(f"img.{image.group(1)}.{image.group(2)}".lower())
    return keys


def lookup(style: dict[str, str]) -> tuple[str, Icon] | None:
    table = icon_table()
    for key in icon_keys(style):
        if key in table:
            return key, table[key]
    return None


_NOISE = {
    "logo", "logos", "icon", "icons", "img", "image", "images", "pos", "neg", "tm", "light", "dark", "color",
    "colour", "white", "black", "transparent", "full", "small", "large", "medium", "thumb", "horizontal",
    "vertical", "mark", "wordmark", "symbol", "default", "primary", "rgb", "cmyk", "png", "svg", "www",
    "brand", "stacked", "square", "round", "circle", "flat", "filled", "outline", "main", "margin", "teal",
    "com", "org", "net", "seeklogo", "blue", "red", "green", "orange", "yellow", "purple", "grey", "gray", "assets", "static", "uploads", "media",
}
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DIGIT = re.compile(r"[0-9]")
_PLAIN_WORD = re.compile(r"^(?:[A-Z]{0,3}[a-z]+|[A-Z]{2,6})$")


def name_from_image(url: str) -> str | None:
    """`.../MLflow-logo-pos-TM-1.png` -> 'MLflow', `.../AirflowLogo.png` -> 'Airflow',
    `.../mage/logo/light.svg` -> 'mage'. None for a data URI or a name with no plain word
    in it (hashes, numbers): a logo the file does not name stays unnamed."""
    if not url or url.startswith("data:") or len(url) > 2000:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    parts = [p for p in PurePosixPath(path).parts if p not in ("/", "")]
    if not parts:
        return None
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    for depth, part in enumerate(reversed(parts[-3:])):
        tokens = _TOKEN.findall(part)
        words = [w for token in tokens if not _DIGIT.search(token) for w in _LOWER_UPPER.sub(" ", token).split()]
        if any(not _PLAIN_WORD.match(w) for w in words):
            return None  # a hash or an id, not a name
        kept = [w for w in words if w.lower() not in _NOISE and len(w) >= 3]
        if kept:
            return " ".join(kept[:3])
        if depth == 0 and len(words) < len(tokens):
            return None  # a numbered file name: the folders above it are not its name
    return None
