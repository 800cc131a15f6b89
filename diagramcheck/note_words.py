"""Words that say a text is a note to the reader, not a component: a legend's title, a
marker such as "Metrics:" or "NOTE reqs:", a title of its own above a list, or a list of
figures about scale. Both builders ask it of a box nothing connects."""

from __future__ import annotations

import re

LEGEND = re.compile(r"^\W*legend\b", re.I)
_NOTE_LABEL = re.compile(r"^\W*(?:notes?\b|nb\b|(?:reqs?|requirements?|metrics|assumptions?|scale|slas?|slos?|nfrs?|"
                         r"constraints?|goals?|kpis?|open questions?|todo|task|labels?|objective)(?:\s*\([^()\n]{0,30}\))?"
                         r"\s*[:=-]\s*\S"  # with something said after the marker
                         r"|(?:reqs?|requirements?|assumptions?|nfrs?|constraints?|open questions?)[ \t]*\n\s*\S)",
                         re.I)  # or a title of its own above lines of them (a sticky note "REQS" and its list)


# a figure of scale, load or latency: "30M listings", "~400k new / day", "p99 < 150 ms", ">= 0.97"
# read from a run's first digit on, without backtracking into it: linear in a line of digits
_FIGURE = re.compile(r"(?<![\d.,])\d[\d.,]*+\s*+(?:[kmb]\b|%|ms\b|qps\b|rps\b|tps\b|(?:/|per)\s*(?:day|d|s|sec|second|hour|h|min|month)\b|"
                     r"(?:users?|dau|mau|requests?|items?|listings?|docs?|documents?|events?|orders?|rows?)\b)"
                     r"|\bp9\d\b|(?:[<>]=?|≤|≥)\s*+\d", re.I)


# "offline: recall @ 1% FPR | online: promo $ lost": both halves of a metrics note, marked
_OFFLINE_MARK = re.compile(r"\boffline(?:\s+(?:metrics?|evaluation|eval|kpis?|targets?))?\s*:", re.I)
_ONLINE_MARK = re.compile(r"\bonline(?:\s+(?:metrics?|evaluation|eval|kpis?|targets?))?\s*:", re.I)


def reads_as_note(label: str | None) -> bool:
    """A label titled "Legend", or one that says it is a note ("NOTE reqs: ...", "Metrics:
    ..."), or lines of figures about scale and targets, from the first line on (a sticky note of
    requirements with no title): on a loose box it explains the drawing, it is no component."""
    if not label:
        return False
    if LEGEND.match(label) or _NOTE_LABEL.match(label):
        return True
    if _OFFLINE_MARK.search(label) and _ONLINE_MARK.search(label):
        return True
    lines = [line for line in label.splitlines() if line.strip()]
    # a box's first line names it ("Redis cluster" above "10k QPS"); a note starts with a figure
    figured = sum(1 for line in lines if _FIGURE.search(line))
    if len(lines) >= 3:
        return bool(_FIGURE.search(lines[0])) and figured >= 2
    # a short note is lines of figures from its first word on ("p99 < 50 ms, ~60k QPS" over a
    # target); one line alone may be a gate ("p95 latency < 50")
    return len(lines) == 2 and figured == 2 and bool(_FIGURE.match(lines[0].lstrip(" ~≈*•-")))


