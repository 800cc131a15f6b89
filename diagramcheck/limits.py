"""Explicit input limits. Generous: the largest real file in the corpus is far below each.

Every limit names itself in the error message, so a user who hits one knows which.
"""

from dataclasses import dataclass

from diagramcheck.errors import LimitExceeded


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 256 * 1024 * 1024  # largest corpus file is ~0.5 MB; 50k-box scenes are ~150 MB
    max_decompressed_bytes: int = 256 * 1024 * 1024  # zlib / LZString payloads
    max_elements: int = 1_000_000
    max_nesting: int = 200  # JSON nesting, DOT subgraph depth
    max_label_chars: int = 10_000

    def check(self, what: str, value: int, limit: int) -> None:
        if value > limit:
            raise LimitExceeded(f"{what} is {value:,}, over the limit of {limit:,}")


LIMITS = Limits()
