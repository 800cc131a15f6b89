"""What a predicate returns."""

from __future__ import annotations

from collections.abc import Sequence


class Result:
    """A plain slotted class: a review makes about a hundred of these per file. Components
    and path are read-only sequences (a tuple when empty)."""

    __slots__ = ("ok", "components", "path", "detail", "fix")

    def __init__(self, ok: bool, components: Sequence[str] = (), path: Sequence[str] = (), detail: str = "",
                 fix: dict | None = None) -> None:
        self.ok = ok
        self.components = components
        self.path = path
        self.detail = detail
        self.fix = fix  # a predicate that knows the repair better than the rule

    def __repr__(self) -> str:
        return f"Result(ok={self.ok!r}, components={self.components!r}, path={self.path!r}, detail={self.detail!r})"
