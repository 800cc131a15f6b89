"""Explicit input limits. Generous: the largest real file in the corpus is far below each.

Every limit names itself in the error message, so a user who hits one knows which.
"""

from dataclasses import dataclass

from diagramcheck.errors import LimitExceeded


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 256 * 1024 * 1024  # largest corpus file is ~0.5 MB; 50k-box scenes are ~150 MB
    max_decompressed_bytes: int = 256 * 1024 * 1024  # zlib / LZString payloads
    # ... and at most this many times the compressed size (real scenes: zlib up to 7.6x,
    # LZString up to 2.5x): a bomb's size is bounded by its input, not only by the limit
    max_decompression_ratio: int = 16
    max_elements: int = 1_000_000
    # ... and at most this many, or one per this many bytes of the file if that is more: what
    # keeps the time linear in the file's size (a 2 MB DOT file of bare names is 260,000
    # nodes; a real Excalidraw element takes 300 to 700 bytes)
    dense_elements: int = 10_000
    bytes_per_element: int = 150
    # Mermaid: a statement costs the parser microseconds however short it is (a megabyte of
    # lines holding one `\` is 500,000 of them; a real one takes 15 to 40 bytes). Statements
    # in a file: dense_elements, or one per this many bytes if that is more
    bytes_per_statement: int = 16
    # ... and Mermaid flowcharts in a file, each reviewed (and fixed) on its own: this many,
    # or one per bytes_per_flowchart of file if that is more (a file of 4,000 small blocks
    # took 11 s to fix)
    max_flowcharts: int = 100
    bytes_per_flowchart: int = 20_000
    max_edges: int = 200_000  # DOT: `{a b} -> {c d}` makes a product of edges
    max_nesting: int = 200  # JSON nesting, DOT subgraph depth
    max_label_chars: int = 10_000

    def decompressed_limit(self, compressed: int) -> int:
        """The most a payload of `compressed` bytes may expand to (at least 1 MB)."""
        return min(self.max_decompressed_bytes, max(self.max_decompression_ratio * compressed, 1 << 20))

    def check_density(self, elements: int, size: int) -> None:
        allowed = max(self.dense_elements, size // self.bytes_per_element)
        if elements > allowed:
            raise LimitExceeded(f"element count is {elements:,}, over the limit of {allowed:,} for a file of {size:,} bytes "
                                f"({self.dense_elements:,}, or one per {self.bytes_per_element} bytes of file)")

    def statements_allowed(self, size: int) -> int:
        return max(self.dense_elements, size // self.bytes_per_statement)

    def check_flowcharts(self, count: int, size: int) -> None:
        allowed = max(self.max_flowcharts, size // self.bytes_per_flowchart)
        if count > allowed:
            raise LimitExceeded(f"Mermaid flowchart count is {count:,}, over the limit of {allowed:,} for a file of "
                                f"{size:,} bytes ({self.max_flowcharts:,}, or one per {self.bytes_per_flowchart:,} bytes "
                                "of file)")

    def check(self, what: str, value: int, limit: int) -> None:
        if value > limit:
            raise LimitExceeded(f"{what} is {value:,}, over the limit of {limit:,}")


LIMITS = Limits()
