"""Component kinds: the lexicon (patterns/kinds.toml) and the label matcher.

The matcher normalises a label into words (case, punctuation, camelCase, snake_case,
dotted names, simple plurals), finds every lexicon phrase among them, and picks a
winner by the order written at the top of kinds.toml. It is deterministic and uses
only dictionary look-ups, so 10,000 labels take a fraction of a second.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from diagramcheck.errors import PatternError
from diagramcheck.tomlio import STRICT, SchemaError, describe, line_of, load_toml, validated

CATEGORIES = {
    "request", "data", "processing", "features", "training", "evaluation",
    "serving", "monitoring", "operations", "mlops",
}
_TAG = re.compile(r"\[\s*([A-Za-z][A-Za-z_-]*)\s*\]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")
_ASIDE = re.compile(r"\(([^()]*)\)")
_CONNECTORS = {"and", "with", "plus"}


# The lexicon's schema: dataclasses that pydantic checks when kinds.toml is read
# (tomlio.py), so the cached lexicon is plain objects.


@dataclass
class KindSpec:
    __pydantic_config__ = STRICT
    category: str  # one of CATEGORIES, checked on load
    description: str
    terms: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


@dataclass
class Prefer:
    __pydantic_config__ = STRICT
    winner: str
    over: str
    when: Literal["any", "product"] = "any"


@dataclass
class Context:
    __pydantic_config__ = STRICT
    model_words: list[str] = field(default_factory=list)
    offline_zone_words: list[str] = field(default_factory=list)
    online_zone_words: list[str] = field(default_factory=list)


@dataclass
class LexiconFile:
    __pydantic_config__ = STRICT
    version: int = 1
    tie_order: list[str] = field(default_factory=list)
    prefer: list[Prefer] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    also: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, KindSpec] = field(default_factory=dict)


# --- normalisation -------------------------------------------------------------


def words(label: str, vocabulary: set[str] | frozenset[str] = frozenset(), cache: dict | None = None) -> list[str]:
    """`insurance_prediction.FeatureStore` -> ['insurance', 'prediction', 'feature', 'store'].

    A camelCase word is split only when the whole word is not itself known, so
    'MLflow', 'PyTorch' and 'BigQuery' stay whole while 'ChatAPI' becomes 'chat api'.
    `cache` keeps each raw token's words (a lexicon passes its own: same vocabulary).
    """
    text = label.replace("&", " and ").replace("+", " and ")
    out: list[str] = []
    for raw in _NOT_WORD.split(text):
        if not raw:
            continue
        found = cache.get(raw) if cache is not None else None
        if found is None:
            found = _token_words(raw, vocabulary)
            if cache is not None and len(cache) < _TOKEN_CACHE_SIZE:
                cache[raw] = found
        out += found
    return out


_TOKEN_CACHE_SIZE = 100_000


def _token_words(raw: str, vocabulary: set[str] | frozenset[str]) -> tuple[str, ...]:
    whole = _singular(raw.lower())
    if whole in vocabulary or not _CAMEL.search(raw):
        return (whole,)
    return tuple(_singular(w) for w in _CAMEL.sub(" ", raw).lower().split())


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def normalise(label: str) -> str:
    return " ".join(words(label))


def tag_kind(tag: str) -> str:
    """A kind tag as people write it to the kind id: `feature-store`, `Feature_Store` -> `feature_store`."""
    return tag.strip().lower().replace("-", "_")


def strip_tag(label: str, known: set[str]) -> tuple[str, str | None]:
    """`Redis [feature_store]` (or `[feature-store]`) -> ('Redis', 'feature_store') when the
    tag is a known kind."""
    for match in _TAG.finditer(label):
        kind = tag_kind(match.group(1))
        if kind in known:
            cleaned = (label[: match.start()] + label[match.end() :]).strip()
            return re.sub(r"\s{2,}", " ", cleaned), kind
    return label, None


# --- the lexicon --------------------------------------------------------------


@dataclass
class Match:
    kind: str
    roles: list[str] = field(default_factory=list)
    note: str = ""
    source: str = "lexicon"  # lexicon, tag, context, none


@dataclass
class _Hit:
    kind: str
    start: int
    length: int
    product: bool

    @property
    def score(self) -> float:
        return self.length + (0.0 if self.product else 0.5)


class Lexicon:
    def __init__(self, spec: LexiconFile, origin: str = "", synonyms: dict[str, list[str]] | None = None) -> None:
        self.spec = spec
        self.origin = origin
        self.kinds = dict(spec.kinds)
        self.category = {kind: s.category for kind, s in self.kinds.items()}
        self.phrases: dict[str, list[tuple[str, bool]]] = {}
        for kind, s in self.kinds.items():
            for term in s.terms:
                self._add(term, kind, False)
            for product in s.products:
                self._add(product, kind, True)
        for kind, phrases in (synonyms or {}).items():
            for phrase in phrases:
                key = normalise(phrase)
                if key:
                    self.phrases[key] = [(kind, False)]  # the user's own word is final
        self.max_len = max((len(p.split()) for p in self.phrases), default=1)
        self.rank = {kind: i for i, kind in enumerate(spec.tie_order)}
        self.model_words = {normalise(w) for w in spec.context.model_words}
        self.also = {normalise(k): v for k, v in spec.also.items()}
        self.vocabulary = {w for p in self.phrases for w in p.split()}
        self._deletions: dict[str, set[str]] = {}
        for token in self.vocabulary:
            if len(token) >= 4:
                for d in _deletions(token):
                    self._deletions.setdefault(d, set()).add(token)
        self._caches()

    def _caches(self) -> None:
        self.classify = lru_cache(maxsize=65536)(self._classify)
        self._match_words = lru_cache(maxsize=65536)(self._match)
        # classify() and is_model_word() both need a label's words: split once
        self._tokens: dict[str, tuple[str, ...]] = {}
        self.label_words = lru_cache(maxsize=65536)(lambda label: tuple(words(label, self.vocabulary, self._tokens)))

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("classify", None)
        state.pop("_match_words", None)
        state.pop("label_words", None)
        state.pop("_tokens", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._caches()

    def _add(self, phrase: str, kind: str, product: bool) -> None:
        key = normalise(phrase)
        if not key:
            return
        entries = self.phrases.setdefault(key, [])
        if (kind, product) not in entries:
            entries.append((kind, product))

    def with_synonyms(self, synonyms: dict[str, list[str]]) -> "Lexicon":
        return Lexicon(self.spec, self.origin, synonyms)

    def _classify(self, label: str) -> Match:
        # what a label says outside parentheses names the thing; inside, it describes it
        if "(" in label:
            tokens = words(_ASIDE.sub(" ", label), self.vocabulary, self._tokens)
            aside = len(tokens)
            tokens += words(" ".join(_ASIDE.findall(label)), self.vocabulary, self._tokens)
        else:
            tokens = list(self.label_words(label))
            aside = len(tokens)
        if not tokens:
            return Match("unknown", source="none", note="empty label")
        return self._match_words(self._number_free(tokens), aside)

    def _number_free(self, tokens: list[str]) -> tuple[str, ...]:
        """Numbers no phrase uses cannot change the answer, so "Worker 7" and "Worker 12"
        (or the 10,000 numbered boxes of a generated scene) share one classification;
        numbers that phrases use ("GPT 4") stay."""
        vocabulary = self.vocabulary
        return tuple("#" if t.isdigit() and t not in vocabulary else t for t in tokens)

    def _match(self, key: tuple[str, ...], aside: int) -> Match:
        tokens = list(key)
        note = ""
        corrected, fixes = self._spell(tokens)
        if fixes:
            note = "read " + ", ".join(f"{a!r} as {b!r}" for a, b in fixes)
            tokens = corrected
        hits = self._hits(tokens)
        if not hits:
            return Match("unknown", source="none")
        winner = self._winner(hits, aside)
        joined = " ".join(tokens)
        if joined in self.also:
            kinds = self.also[joined]
            return Match(kinds[0], roles=list(kinds[1:]), note=note)
        roles = self._roles(hits, winner, tokens)
        return Match(winner.kind, roles=roles, note=note)

    def _hits(self, tokens: list[str]) -> list[_Hit]:
        hits = []
        for start in range(len(tokens)):
            for length in range(min(self.max_len, len(tokens) - start), 0, -1):
                phrase = " ".join(tokens[start : start + length])
                for kind, product in self.phrases.get(phrase, ()):
                    hits.append(_Hit(kind, start, length, product))
        return hits

    def _winner(self, hits: list[_Hit], aside: int) -> _Hit:
        best: dict[str, _Hit] = {}
        for hit in hits:
            if hit.kind not in best or hit.score > best[hit.kind].score:
                best[hit.kind] = hit
        # On equal scores: a single word in parentheses describes rather than names ("Auction
        # (bid x pCTR)"), while a phrase there declares the role ("Encoders (feature extraction)");
        # then the rightmost phrase wins, as English compounds end in their head noun ("Search
        # API" is an API); then the documented tie order.
        ordered = sorted(
            best.values(),
            key=lambda h: (-h.score, h.start >= aside and h.length < 2, -(h.start + h.length), self.rank.get(h.kind, 99), h.kind),
        )
        winner = ordered[0]
        for rule in self.spec.prefer:
            if rule.over == winner.kind and rule.winner in best:
                challenger = best[rule.winner]
                if rule.when == "any" or challenger.product:
                    winner = challenger
        return winner

    def _roles(self, hits: list[_Hit], winner: _Hit, tokens: list[str]) -> list[str]:
        """Other kinds named by separate words: 'Model monitoring & drift detection'."""
        covered = set(range(winner.start, winner.start + winner.length))
        joined = any(t in _CONNECTORS for t in tokens)
        roles: list[str] = []
        for hit in sorted(hits, key=lambda h: (-h.score, h.start)):
            span = set(range(hit.start, hit.start + hit.length))
            if hit.kind == winner.kind or hit.product or span & covered:
                continue
            if hit.length >= 2 or joined:
                if hit.kind not in roles:
                    roles.append(hit.kind)
                covered |= span
        return roles

    def _spell(self, tokens: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        out, fixes = [], []
        for token in tokens:
            if token in self.vocabulary or len(token) < 5 or token.isdigit():
                out.append(token)
                continue
            candidates = set(self._deletions.get(token, ()))
            for d in _deletions(token):
                if d in self.vocabulary:
                    candidates.add(d)
                candidates |= self._deletions.get(d, set())
            candidates = {c for c in candidates if _damerau1(token, c)}
            if candidates:
                best = min(candidates, key=lambda c: (abs(len(c) - len(token)), c))
                out.append(best)
                fixes.append((token, best))
            else:
                out.append(token)
        return out, fixes

    def suggest(self, label: str, n: int = 3) -> list[str]:
        key = " ".join(words(label, self.vocabulary))
        close = difflib.get_close_matches(key, list(self.phrases), n=12, cutoff=0.5)
        kinds: list[str] = []
        for phrase in close:
            for kind, _ in self.phrases[phrase]:
                if kind not in kinds:
                    kinds.append(kind)
        return kinds[:n]

    def is_model_word(self, label: str) -> bool:
        return " ".join(self.label_words(label)) in self.model_words


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _damerau1(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# --- loading ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def builtin_patterns_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "patterns", here.parent / "patterns"):
        if (candidate / "kinds.toml").is_file():
            return candidate
    raise PatternError(f"the built-in patterns directory is missing (looked in {here / 'patterns'})")


def load_lexicon_file(path: Path) -> Lexicon:
    data, text = load_toml(path)
    try:
        spec = validated(LexiconFile, data)
    except SchemaError as exc:
        loc = exc.errors[0]["loc"]
        table = f"kinds.{loc[1]}" if len(loc) > 1 and loc[0] == "kinds" else (str(loc[0]) if loc else None)
        key = str(loc[2]) if len(loc) > 2 and loc[0] == "kinds" else None
        raise PatternError(f"{path}:{line_of(text, table, key)}: {describe(exc)}") from None
    known = set(spec.kinds)
    for kind, kind_spec in spec.kinds.items():
        if kind_spec.category not in CATEGORIES:
            raise PatternError(
                f"{path}:{line_of(text, f'kinds.{kind}', 'category')}: kinds.{kind}.category: "
                f"unknown category {kind_spec.category!r} (known: {', '.join(sorted(CATEGORIES))})"
            )
    for i, rule in enumerate(spec.prefer):
        for name in (rule.winner, rule.over):
            if name not in known:
                raise PatternError(f"{path}:{line_of(text, 'prefer', None, i)}: prefer names unknown kind {name!r}")
    for phrase, kinds in spec.also.items():
        for name in kinds:
            if name not in known:
                raise PatternError(f"{path}:{line_of(text, 'also', phrase)}: also names unknown kind {name!r}")
    return Lexicon(spec, origin=str(path))


_DEFAULT: Lexicon | None = None


def default_lexicon() -> Lexicon:
    global _DEFAULT
    if _DEFAULT is None:
        from diagramcheck.cache import cached

        path = builtin_patterns_dir() / "kinds.toml"
        _DEFAULT = cached("lexicon", [path], "", lambda: load_lexicon_file(path))
    return _DEFAULT


def validate_synonyms(lexicon: Lexicon, synonyms: dict, origin: str) -> dict[str, list[str]]:
    if not isinstance(synonyms, dict):
        raise PatternError(f"{origin}: `synonyms` must be a table of kind = [phrases]")
    clean: dict[str, list[str]] = {}
    for kind, phrases in synonyms.items():
        if kind not in lexicon.kinds:
            close = difflib.get_close_matches(kind, list(lexicon.kinds), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PatternError(f"{origin}: synonyms for unknown kind {kind!r}{hint}")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise PatternError(f"{origin}: synonyms.{kind} must be a list of strings")
        clean[kind] = phrases
    return clean
