"""Component kinds: the lexicon (patterns/kinds.toml), loaded and validated, and the
label matcher's word level: normalising words (case, punctuation, camelCase,
snake_case, dotted names, plurals, abbreviations), typo correction into lexicon words
(never of ordinary English), and the cached classification. How a label's words are
read as a phrase is reading.py. It is deterministic and uses only dictionary look-ups,
so 10,000 labels take well under a second (benchmarks/kinds.py).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from diagramcheck.errors import PatternError
from diagramcheck.languages import LanguagesFile, Translator, load_languages
from diagramcheck.reading import Grammar, Token, read, tokens_of
from diagramcheck.tomlio import STRICT, SchemaError, describe, line_of, load_toml, validated

CATEGORIES = {
    "request", "data", "processing", "features", "training", "evaluation",
    "serving", "monitoring", "operations", "mlops",
}
_TAG = re.compile(r"\[\s*([A-Za-z][A-Za-z_-]*)\s*\]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2,})")
_NOT_WORD = re.compile(r"[\W_]+")  # letters and digits of any script make words
_VERSIONED = re.compile(r"([a-z]{2,})(\d+)")  # a known word with a version number written on


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
class ContextRule:
    """One way the graph settles what a label leaves open (classify.py applies them in
    order; the first that fits decides). Every condition given must hold."""

    __pydantic_config__ = STRICT
    kind: str  # a kind id, "zone" (the zone's kind), "feeder" (the kind all its feeders share), "icon" (its icon's)
    why: str  # said in kind_note, with the evidence
    reading: list[str] = field(default_factory=list)  # the label's kinds; "model", "unread", "outside",
    # "open" (a bare model, or a label a generic word or none decided)
    not_reading: list[str] = field(default_factory=list)  # ...and not these
    generic: bool = False  # only a label decided by a generic word, or by none
    phrases: list[str] = field(default_factory=list)  # only when one of these phrases decided
    decision: bool = False  # only a decision box ("Metrics pass?")
    zone: list[str] = field(default_factory=list)  # its zone's title reads as one of these kinds
    zone_words: list[str] = field(default_factory=list)  # its zone's title has one of these words
    icon: list[str] = field(default_factory=list)  # its draw.io icon suggests one of these kinds
    fed_by: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # fed by or feeding
    only_fed_by: list[str] = field(default_factory=list)  # something feeds it, and all of it is of these kinds
    only_feeds: list[str] = field(default_factory=list)
    not_fed_by: list[str] = field(default_factory=list)
    not_near: list[str] = field(default_factory=list)
    reaches: list[str] = field(default_factory=list)  # what it feeds leads, within a few arrows, to one of these kinds
    unless: list[str] = field(default_factory=list)  # words of its label that keep the label's reading
    words: list[str] = field(default_factory=list)  # only a label with one of these words ("AUC > prod?")
    connected: bool = False  # only a box with at least one arrow (of any kind of neighbour)
    labelled: bool = False  # only a box with some text (an empty shape says nothing of what it holds)
    in_words: list[str] = field(default_factory=list)  # an incoming arrow's label says one of these ("LLM inference")
    out_words: list[str] = field(default_factory=list)  # an outgoing arrow's label says one ("Fetch model")
    after_context: bool = False  # also judges, in the second pass, a box its label types, once context
    # has retyped a neighbour ("model.pkl" read as the stored model: the API loading it serves)


@dataclass
class Context:
    __pydantic_config__ = STRICT
    model_words: list[str] = field(default_factory=list)
    decision_words: list[str] = field(default_factory=list)  # a name ending in one judges: "p95 gate"
    rules: list[ContextRule] = field(default_factory=list)


@dataclass
class Verb:
    __pydantic_config__ = STRICT
    kind: str = ""  # "" for a verb whose object alone decides ("Generate candidates")
    nouns: list[str] = field(default_factory=list)  # "detect" -> detection, detector
    weak: bool = False  # the object decides when it names a role ("Transform features")
    noun: bool = False  # also a noun: before a container noun it is one ("Search API", "Log store")
    on_data: str = ""  # its kind when its object is kept data (reading.held): "Validate training data" checks data


@dataclass
class Compound:
    __pydantic_config__ = STRICT
    heads: list[str]
    kind: str  # a kind id, "unknown", or "modifier" (the modifier's own kind)
    modifiers: list[str] = field(default_factory=list)
    modifier_kinds: list[str] = field(default_factory=list)
    products_only: bool = False
    why: str = ""


@dataclass
class Narrow:
    """A name of one of `kinds` whose details name one of `detail_kinds` is that narrower
    kind: "Labels: chargebacks, complaints" are outcomes fed back (feedback)."""

    __pydantic_config__ = STRICT
    kinds: list[str]
    detail_kinds: list[str]
    products: bool = True  # a product name in the detail narrows too (not only role words)
    why: str = ""


@dataclass
class ReadingSpec:
    __pydantic_config__ = STRICT
    generic: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    describing: list[str] = field(default_factory=list)
    fillers: list[str] = field(default_factory=list)
    weak_heads: list[str] = field(default_factory=list)
    vague: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)  # a model's task ("detection"): generic, deciding only as the name's last word
    owners: list[str] = field(default_factory=list)  # whose ("Device"): generic, leaving unknown before a word no kind knows
    prepositions: list[str] = field(default_factory=list)
    batch_words: list[str] = field(default_factory=list)
    batch_kinds: list[str] = field(default_factory=list)
    batch_engines: list[str] = field(default_factory=list)  # engines that run a model only in batch ("Spark scoring")
    online_words: list[str] = field(default_factory=list)  # words of a model answering requests, whatever engine it names
    stream_words: list[str] = field(default_factory=list)  # a processing step said to run on a stream ("Real-time ETL")
    transfer_words: list[str] = field(default_factory=list)  # "S3 to Redshift": the step between two stores
    transfer: dict[str, str] = field(default_factory=dict)  # kind of the source store (or "default") -> the step's kind
    containers: list[str] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)  # who or what a verb acts on, never a container ("Score users")
    held: dict[str, str] = field(default_factory=dict)  # kind of kept data -> what acting on it is ("" the verb's kind)
    engines: list[str] = field(default_factory=list)  # kinds whose products process what a detail names ("Flink\nclickstream")
    english_words: str = "english_words.txt"
    not_typos: list[str] = field(default_factory=list)  # words neither English nor the lexicon's, never corrected
    file_kinds: dict[str, str] = field(default_factory=dict)  # a file's extension -> what a file of it is ("" code: its name says)
    languages: str = "languages.toml"  # role words of other languages (languages.py)


@dataclass
class Outside:
    __pydantic_config__ = STRICT
    description: str = ""
    terms: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


@dataclass
class LexiconFile:
    __pydantic_config__ = STRICT
    version: int = 1
    tie_order: list[str] = field(default_factory=list)
    prefer: list[Prefer] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    reading: ReadingSpec = field(default_factory=ReadingSpec)
    abbreviations: dict[str, str] = field(default_factory=dict)
    verbs: dict[str, Verb] = field(default_factory=dict)
    compound: list[Compound] = field(default_factory=list)
    narrow: list[Narrow] = field(default_factory=list)
    outside: Outside = field(default_factory=Outside)
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
    if whole not in vocabulary and (versioned := _VERSIONED.fullmatch(whole)) and versioned.group(1) in vocabulary:
        return versioned.groups()  # a name with its version written on: "Llama2", "GPT4", "Qwen2"
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
    note: str = ""  # typo corrections made
    source: str = "lexicon"  # lexicon, tag, context, none
    why: str = ""  # the words that decided ('verb "fit"', 'head "logger"')
    model: bool = False  # the label says "a model" and no more: its connections decide
    weak: bool = False  # no word decided, or a generic one alone: context may decide
    basis: str = "none"  # what decided: verb, stated, head, product, detail, generic, compound, model, url...
    phrase: str = ""  # the lexicon phrase or verb that decided ("metrics", "fit")
    outside: bool = False  # recognised as no part of an ML design ([outside])


OUTSIDE = "unknown"  # the kind of what [outside] lists: recognised, and no part of an ML design
_READINGS = {"model", "unread", "outside", "open"}  # what a context rule's `reading` may name besides kinds


class Lexicon:
    def __init__(self, spec: LexiconFile, origin: str = "", synonyms: dict[str, list[str]] | None = None) -> None:
        self.spec = spec
        self.origin = origin
        self.kinds = dict(spec.kinds)
        self.category = {kind: s.category for kind, s in self.kinds.items()}
        self.abbreviations = {k.lower(): tuple(words(v)) for k, v in spec.abbreviations.items()}
        self.phrases: dict[str, list[tuple[str, bool]]] = {}
        for kind, s in self.kinds.items():
            for term in s.terms:
                self._add(term, kind, False)
            for product in s.products:
                self._add(product, kind, True)
        for kind, s in self.kinds.items():
            for product in s.products:  # "ChromaDB" is written "Chroma DB" too
                if product.endswith("db") and len(product) > 4 and " " not in product:
                    self._add(product[:-2] + " db", kind, True)
        for term in spec.outside.terms:
            self._add(term, OUTSIDE, False)
        for product in spec.outside.products:
            self._add(product, OUTSIDE, True)
        for kind, phrases in (synonyms or {}).items():
            for phrase in phrases:
                key = self._phrase(phrase)
                if key:
                    self.phrases[key] = [(kind, False)]  # the user's own word is final
        self.rank = {kind: i for i, kind in enumerate(spec.tie_order)}
        self.model_words = frozenset(self._phrase(w) for w in spec.context.model_words)
        self.decision_words = frozenset(self._phrase(w) for w in spec.context.decision_words)
        self.also = {self._phrase(k): v for k, v in spec.also.items()}
        self.vocabulary = {w for p in [*self.phrases, *self.model_words, *map(self._phrase, spec.verbs)] for w in p.split()}
        self._deletions: dict[str, set[str]] = {}
        for token in self.vocabulary:
            if len(token) >= 4:
                for d in _deletions(token):
                    self._deletions.setdefault(d, set()).add(token)
        self.grammar = self._grammar(spec)
        self.english_path = Path(origin).parent / spec.reading.english_words if origin else None
        self.languages_path = Path(origin).parent / spec.reading.languages if origin else None
        self._caches()

    def _grammar(self, spec: LexiconFile) -> Grammar:
        r = spec.reading
        phrase_set = lambda items: frozenset(self._phrase(x) for x in items)  # noqa: E731
        verbs = {}
        for verb, v in spec.verbs.items():
            nouns = tuple(self._phrase(n) for n in (v.nouns or [verb]))
            verbs[self._phrase(verb)] = (v.kind, nouns, v.weak or not v.kind, v.noun, v.on_data)
        lengths: dict[str, set[int]] = {}
        for phrase in self.phrases:
            parts = phrase.split()
            lengths.setdefault(parts[0], set()).add(len(parts))
        return Grammar(
            phrases=self.phrases, lengths={w: tuple(sorted(n)) for w, n in lengths.items()},
            generic=phrase_set(r.generic) | phrase_set(r.hosts) | phrase_set(r.tasks) | phrase_set(r.owners), hosts=phrase_set(r.hosts),
            tasks=phrase_set(r.tasks), owners=phrase_set(r.owners),
            describing=phrase_set(r.describing), fillers=phrase_set(r.fillers),
            model_words=self.model_words, weak_heads=frozenset(r.weak_heads), vague=phrase_set(r.vague),
            prepositions=phrase_set(r.prepositions),
            verbs=verbs, max_verb=max((len(v.split()) for v in verbs), default=1),
            batch_words=phrase_set(r.batch_words), batch_kinds=frozenset(r.batch_kinds),
            batch_engines=phrase_set(r.batch_engines), online_words=phrase_set(r.online_words),
            stream_words=phrase_set(r.stream_words), transfer_words=phrase_set(r.transfer_words), transfer=dict(r.transfer),
            containers=frozenset(r.containers), compared=phrase_set(r.compared), objects=phrase_set(r.objects), held=dict(r.held),
            engines=frozenset(r.engines),
            compounds=[_normalised_compound(c, self._phrase) for c in spec.compound],
            compound_heads=frozenset(self._phrase(h) for c in spec.compound for h in c.heads),
            prefer=list(spec.prefer), rank=self.rank, narrows=list(spec.narrow),
        )

    def _caches(self) -> None:
        self._longest_word = max(map(len, self.vocabulary), default=0)
        self.classify = lru_cache(maxsize=65536)(self._classify)
        self._read = lru_cache(maxsize=65536)(self._read_tokens)
        self._tokens: dict[str, tuple[str, ...]] = {}
        # a label's words as the reading sees them (abbreviations written out), whatever was read before
        self.label_words = lru_cache(maxsize=65536)(
            lambda label: tuple(t.word for t in tokens_of(self.translated(label), self.token_words)))
        self._english: frozenset[str] | None = None
        self._translator: Translator | None = None
        self._corrections: dict[str, tuple[str, ...]] = {}
        self._context_rules: list[ContextRule] | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in ("classify", "_read", "label_words", "_tokens", "_english", "_corrections", "_context_rules",
                     "_longest_word", "_translator"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._caches()

    def _phrase(self, phrase: str) -> str:
        return " ".join(w for raw in words(phrase) for w in self.abbreviations.get(raw, (raw,)))

    def _add(self, phrase: str, kind: str, product: bool) -> None:
        key = self._phrase(phrase)
        if not key:
            return
        entries = self.phrases.setdefault(key, [])
        if (kind, product) not in entries:
            entries.append((kind, product))

    def with_synonyms(self, synonyms: dict[str, list[str]]) -> "Lexicon":
        return Lexicon(self.spec, self.origin, synonyms)

    def token_words(self, raw: str) -> list[str]:
        """One raw token's words: camelCase split unless the whole is known, plurals made
        singular, abbreviations written out ("RecSvc" -> rec service, "DBs" -> database)."""
        found = self._tokens.get(raw)
        if found is None:
            found = ()
            for word in _token_words(raw, self.vocabulary):
                found += self.abbreviations.get(word) or self.abbreviations.get(word.rstrip("s")) or (word,)
            if len(self._tokens) < _TOKEN_CACHE_SIZE:
                self._tokens[raw] = found
        return list(found)

    def _classify(self, label: str) -> Match:
        if (file := _FILE.match(label)) and (ext := file.group(2).lower()) in self.spec.reading.file_kinds:
            return self._file(label, file.group(1), ext)
        return self._words(label)

    def _words(self, label: str) -> Match:
        key = self.key(label)
        if not key:
            return Match("unknown", source="none", note="empty label")
        match = self.noting_language(label, self._read(key))
        if "://" in label and (host := _outside_host(label)):  # its host decides, not its path ("/v1/search")
            parts = host.split(".")
            name = parts[-3] if len(parts) > 2 and parts[-2] in _SECOND_LEVEL else parts[-2]
            site = self.classify(name)  # a product's own address is that product: api.openai.com
            if site.kind not in ("api", "client", "unknown") and site.basis == "product":
                return replace(site, why=f'URL of "{host}", {site.why}')
            return Match(OUTSIDE, source="none", why=f'URL of "{host}": outside the ML design', basis="url",
                         outside=True)
        return match

    def _file(self, label: str, name: str, ext: str) -> Match:
        """A label naming a file ("feature_store/features.py\nshared SQL") is that file: its
        folders say where it lives. A data file is kept data whatever its name says ("train.csv");
        a query file is a batch step unless its name says which step ("train_model.sql")."""
        kind = self.spec.reading.file_kinds[ext]
        if not kind:  # code: its name says what it does ("features.py", "src/train.py")
            line_end = label.find("\n")
            return self._words(name + (label[line_end:] if line_end >= 0 else ""))
        if kind not in self.spec.reading.held:
            stem = self._words(name[: -len(ext) - 1])
            held = self.spec.reading.held
            first = self.label_words(name[: -len(ext) - 1])[:1]
            if first and first[0] in self.grammar.verbs and stem.kind != "unknown":  # a verb names the step
                if stem.kind not in held:
                    return stem
                if held[stem.kind]:  # a query of features computes them: "user_features.sql"
                    return Match(held[stem.kind], why=f'file ".{ext}" of {stem.why}', basis="file", phrase=ext)
        return Match(kind, why=f'file ".{ext}"', basis="file", phrase=ext)

    def key(self, label: str, number_free: bool = True) -> tuple:
        """A label's words with their places, the reading's cache key. Numbers no phrase
        uses are one '#': they cannot change the answer."""
        vocabulary = self.vocabulary
        return tuple(
            ("#" if number_free and t.word.isdigit() and t.word not in vocabulary else t.word, t.segment, t.block, t.how, t.mark)
            for t in tokens_of(self.translated(label), self.token_words)
        )

    def noting_language(self, label: str, match: Match) -> Match:
        """The match, its note saying how a label in another language was read."""
        if label.isascii() or (english := self.translated(label)) == label:
            return match
        said = " ".join(english.split())
        return replace(match, note="; ".join(filter(None, [f'read as "{said}"', match.note])))

    def translated(self, label: str) -> str:
        """The label with its Russian and Chinese words in English (languages.py); most
        labels are ASCII and come back as they are."""
        if label.isascii():
            return label
        if self._translator is None:
            path = self.languages_path
            self._translator = load_languages(path) if path is not None and path.is_file() else Translator(LanguagesFile())
        return self._translator.translate(label)

    def _read_tokens(self, key: tuple) -> Match:
        """The reading of a key: "Worker 7" and "Worker 12" (or the 10,000 numbered boxes
        of a generated scene) share one."""
        tokens = [Token(*fields) for fields in key]
        fixes = self._spell(tokens)
        note = "read " + ", ".join(f"{a!r} as {b!r}" for a, b in fixes) if fixes else ""
        joined = " ".join(t.word for t in tokens)
        if joined in self.also:
            kinds = self.also[joined]
            return Match(kinds[0], roles=list(kinds[1:]), note=note, why=f'"{joined}" plays {len(kinds)} roles', basis="head")
        reading = read(tokens, self.grammar)
        outside = reading.kind == OUTSIDE and reading.basis in ("head", "product", "stated", "detail", "verb")
        if outside:
            reading.why += ": outside the ML design"
        source = "lexicon" if reading.kind != "unknown" else "none"
        return Match(reading.kind, roles=reading.roles, note=note, source=source, why=reading.why, model=reading.model,
                     weak=reading.weak, basis=reading.basis, phrase=reading.phrase, outside=outside)

    def english(self) -> frozenset[str]:
        """Ordinary English words, read on the first label that needs them."""
        if self._english is None:
            words_: set[str] = set()
            path = self.english_path
            if path is not None and path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line and not line.startswith("#"):
                        words_.add(line)
                        words_.add(_singular(line))
            words_ |= {w for x in self.spec.reading.not_typos for w in words(x)}
            self._english = frozenset(words_)
        return self._english

    def _spell(self, tokens: list[Token]) -> list[tuple[str, str]]:
        """Typos into lexicon words, in place: only for a word that is neither a lexicon
        word nor ordinary English ("Kafak", "Trainig"; never "Stable" -> table)."""
        fixes = []
        for i, token in enumerate(tokens):
            word = token.word
            # a word longer than every known word plus one is no typo of one: skipping it is exact,
            # and spares building its deletions (a 200,000-letter label took 15 s and 1.6 GB)
            if (word in self.vocabulary or len(word) < 5 or len(word) > self._longest_word + 1
                    or not word.isascii() or not word.isalpha()):
                continue
            if word not in self._corrections:
                self._corrections[word] = self._correction(word)
            ranked = self._corrections[word]
            if ranked:
                best = self._in_phrase(ranked, tokens, i) or ranked[0]
                token.word = best
                fixes.append((word, best))
        return fixes

    def _in_phrase(self, ranked: tuple[str, ...], tokens: list[Token], i: int) -> str | None:
        """The candidate that makes a lexicon phrase with the word beside it: "moderaton model"
        is a moderation model, although "moderator" shares a longer start."""
        before = tokens[i - 1].word if i else ""
        after = tokens[i + 1].word if i + 1 < len(tokens) else ""
        for candidate in ranked:
            if (after and f"{candidate} {after}" in self.phrases) or (before and f"{before} {candidate}" in self.phrases):
                return candidate
        return None

    def _correction(self, word: str) -> tuple[str, ...]:
        """The lexicon words one typing slip away, best first."""
        candidates = set(self._deletions.get(word, ()))
        for d in _deletions(word):
            if d in self.vocabulary:
                candidates.add(d)
            candidates |= self._deletions.get(d, set())
        candidates = {c for c in candidates if _damerau1(word, c)}
        if not candidates or word in self.english():
            return ()
        # typing slips rarely touch a word's start: the longest shared beginning wins ("wrokers" is
        # workers, not brokers; "interations" interactions, not integrations)
        return tuple(sorted(candidates, key=lambda c: (-_shared_start(c, word), abs(len(c) - len(word)), c)))

    def suggest(self, label: str, n: int = 3) -> list[str]:
        key = " ".join(self.token_words(w)[0] for w in words(label, self.vocabulary) if self.token_words(w))
        close = difflib.get_close_matches(key, list(self.phrases), n=12, cutoff=0.5)
        kinds: list[str] = []
        for phrase in close:
            for kind, _ in self.phrases[phrase]:
                if kind not in kinds and kind != OUTSIDE:
                    kinds.append(kind)
        return kinds[:n]

    def context_rules(self) -> list[ContextRule]:
        """[[context.rules]] with their phrases and words normalised as labels are."""
        if self._context_rules is None:
            def phrases(items: list[str]) -> list[str]:
                return [self._phrase(x) for x in items]

            def words_of(items: list[str]) -> list[str]:
                return [w for x in items for w in self.label_words(x)]

            self._context_rules = [
                replace(rule, phrases=phrases(rule.phrases), unless=words_of(rule.unless), words=words_of(rule.words), zone_words=words_of(rule.zone_words),
                        in_words=self._said(rule.in_words), out_words=self._said(rule.out_words))
                for rule in self.spec.context.rules
            ]
        return self._context_rules

    def _said(self, items: list[str]) -> list[str]:
        """Arrow phrases as classify.py matches them: their label words, space-separated and
        space-framed, found inside an arrow label's words framed the same way."""
        return [f" {' '.join(self.label_words(x))} " for x in items]

    def arrow_words(self, label: str) -> str:
        """An arrow label's words, framed for the phrases of `_said`: ' llm inference '."""
        return f" {' '.join(self.label_words(label))} "

    def is_model_word(self, label: str) -> bool:
        """The label says "a model" and nothing that types it: "Model", "Model A", "XGBoost model"."""
        return self.classify(label).model


# a web address naming a public host: "https://api.youtube.com", "https://api.openai.com/v1"
_WEB_URL = re.compile(r"\s*https?://([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:[/?#]\S*)?\s*$", re.IGNORECASE)
_OWN_HOST = re.compile(r"(?:^localhost|^[\d.]+$|\.(?:local|internal|svc|cluster\.local|lan|test|example)$)", re.IGNORECASE)

# a label whose first line is a file's name or path: "src/features.py", "daily_revenue.sql"
_FILE = re.compile(r"\s*(?:[\w.-]+/)*([\w-]+(?:\.[\w-]+)*\.([A-Za-z]\w{0,7}))[ \t]*(?:\n|$)")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})  # "bbc.co.uk" is bbc's


def _outside_host(label: str) -> str | None:
    """The host of a label that is only a web address on a public domain: a third-party
    service addressed by its URL, no part of the design. Our own hosts (localhost, an IP,
    a cluster-internal name or one without a domain: "http://model-server:8080") are not."""
    found = _WEB_URL.match(label.split("\n", 1)[0])
    if found is None or _OWN_HOST.search(found.group(1)):
        return None
    return found.group(1).lower()


def _normalised_compound(rule: Compound, phrase) -> Compound:
    return Compound(
        heads=[phrase(h) for h in rule.heads], kind=rule.kind, modifiers=[phrase(m) for m in rule.modifiers],
        modifier_kinds=list(rule.modifier_kinds), products_only=rule.products_only, why=rule.why,
    )


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


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
        nth = 0
        if loc[:2] == ("context", "rules") and len(loc) > 2 and isinstance(loc[2], int):
            table, nth, key = "context.rules", loc[2], (str(loc[3]) if len(loc) > 3 else None)
        raise PatternError(f"{path}:{line_of(text, table, key, nth)}: {describe(exc)}") from None
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
    for verb, v in spec.verbs.items():
        for name in (v.kind, v.on_data):
            if name and name not in known:
                raise PatternError(f"{path}:{line_of(text, 'verbs', verb)}: verbs.{verb} names unknown kind {name!r}")
    for i, rule in enumerate(spec.compound):
        for name in [rule.kind, *rule.modifier_kinds]:
            if name not in known | {OUTSIDE, "modifier", "model"}:
                raise PatternError(f"{path}:{line_of(text, 'compound', None, i)}: compound names unknown kind {name!r}")
    for i, rule in enumerate(spec.narrow):
        for name in [*rule.kinds, *rule.detail_kinds]:
            if name not in known:
                raise PatternError(f"{path}:{line_of(text, 'narrow', None, i)}: narrow names unknown kind {name!r}")
    for i, rule in enumerate(spec.context.rules):
        listed = [*rule.zone, *rule.icon, *rule.fed_by, *rule.feeds, *rule.near, *rule.only_fed_by, *rule.only_feeds,
                  *rule.not_fed_by, *rule.not_near, *rule.reaches]
        for name in [*(n for n in [*rule.reading, *rule.not_reading] if n not in _READINGS), *listed]:
            if name not in known | {OUTSIDE}:
                raise PatternError(f"{path}:{line_of(text, 'context.rules', None, i)}: context.rules names unknown kind {name!r}")
        if rule.kind not in known | {OUTSIDE, "zone", "feeder", "icon"}:
            raise PatternError(f"{path}:{line_of(text, 'context.rules', None, i)}: context.rules: kind {rule.kind!r} "
                               "is neither a kind nor 'zone', 'feeder' or 'icon'")
    for key in ("weak_heads", "batch_kinds", "containers", "held", "engines"):
        for name in [*getattr(spec.reading, key), *(n for n in spec.reading.held.values() if n and key == "held")]:
            if name not in known:
                raise PatternError(f"{path}:{line_of(text, 'reading', key)}: reading.{key} names unknown kind {name!r}")
    for name in [*(k for k in spec.reading.transfer if k != "default"), *spec.reading.transfer.values()]:
        if name not in known:
            raise PatternError(f"{path}:{line_of(text, 'reading', 'transfer')}: reading.transfer names unknown kind {name!r}")
    for name in filter(None, spec.reading.file_kinds.values()):
        if name not in known:
            raise PatternError(f"{path}:{line_of(text, 'reading', 'file_kinds')}: reading.file_kinds names unknown kind {name!r}")
    if not (path.parent / spec.reading.english_words).is_file():
        raise PatternError(f"{path}:{line_of(text, 'reading', 'english_words')}: reading.english_words: "
                           f"no file {spec.reading.english_words!r} beside the lexicon")
    if (path.parent / spec.reading.languages).is_file():  # optional: without it labels are read in English only
        load_languages(path.parent / spec.reading.languages)  # its schema, checked with the lexicon's
    for phrase, kinds in spec.also.items():
        for name in kinds:
            if name not in known:
                raise PatternError(f"{path}:{line_of(text, 'also', phrase)}: also names unknown kind {name!r}")
    lexicon = Lexicon(spec, origin=str(path))
    for i, rule in enumerate(spec.context.rules):
        for key in ("in_words", "out_words"):
            for phrase in getattr(rule, key):
                if not lexicon.label_words(phrase):
                    raise PatternError(f"{path}:{line_of(text, 'context.rules', key, i)}: context.rules.{key}: "
                                       f"{phrase!r} has no words an arrow label could say")
    return lexicon


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
