"""Reading a label as a phrase, the way a person reads a box.

A label is cut into its parts before any word is looked up:

- the *name*: the first line, before a colon or a spaced dash, outside brackets;
- *details*: what brackets hold, what follows the colon or dash, the lines below;
- *conjuncts*: "Monitoring & alerting", "Kafka / Kinesis" name two things; the first
  is the box's kind, the rest its secondary roles.

Then, in order (each step decides only when the steps before it found nothing):

1. a role verb opening the name: "Fit XGBoost", "Score nightly", "Embed catalog";
2. a detail that states a role and nothing else, "(fallback)", "(A/B)", "Redis\nonline
   feature store", unless the name states a longer one;
3. the name's role words, its head noun winning ("Request logger service": the logger,
   "service" being a word that never decides alone; "Two-tower model training": the
   training, a model named before a process head being its object);
4. the name's product names; 5. the details' role words; 6. their product names;
7. generic words (user, service, job, data...), which decide only alone;
8. a model word ("Model A", "XGBoost model"), for the graph to decide.

Qualifiers then adjust ("Score nightly" is batch inference, "CatBoost service" serving).
Everything here is plain Python over dictionary look-ups, so labels stay cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# one token: letters and digits of any script (underscores, dots, dashes split words)
_TOKEN = re.compile(r"[^\W_]+")
_CONJUNCTION_MARKS = frozenset("/&+,|;·•")
_PLACEHOLDER = re.compile(r"\$?\{[^{}]*\}")
_STRUCTURE = re.compile(r"[^\w\s.'-]|\n|\s[-–—]|_")  # anything but words, spaces, dots and hyphens inside words
_COLON = re.compile(r":(?!//)|\s[-–—]+\s|^[-–—]+\s")
_JOINING = frozenset({"and", "with", "plus"})
_CONJUNCTION_WORDS = frozenset({"and", "or"})  # "&" and "+" are read as "and"
_COMPARISONS = frozenset({"vs", "versus", "v"})
_ACCESS = frozenset({"via", "through", "over"})  # "(Claude via API)": how the box is reached, not what it is
MODIFIER_REACH = 16  # words before a compound's head that may modify it: a long note's far words do not
MAX_HEADS = 32  # compound heads weighed in one label (a name has a few; a 10,000-letter note may have hundreds)
_MODEL_OUTPUTS = frozenset({"serving", "batch_inference", "ranking"})  # readings a model's output word gives


@dataclass(slots=True)
class Token:
    word: str
    segment: float  # 0: the name; 0.5: after its preposition; 1, 2...: details
    block: int  # phrases never cross a bracket or a colon (they may cross a line break)
    how: str = "name"  # name, bracket, colon, line, after: where the word stands
    mark: bool = False  # a conjunction mark ("/", "&", ",") stands before it
    conjunct: int = 0  # within its segment, set once phrases are found


@dataclass(slots=True)
class Tile:
    """A lexicon phrase found in the label: `start`/`length` in tokens."""

    start: int
    length: int
    kinds: list[tuple[str, bool]]  # (kind, is a product)
    generic: bool
    segment: float
    conjunct: int

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass
class Reading:
    kind: str
    roles: list[str] = field(default_factory=list)
    why: str = ""  # the words that decided, for `graph`
    model: bool = False  # a model word and nothing else: the graph decides
    segment: float = 0  # the part of the label that decided
    weak: bool = False  # decided by a generic word alone: the graph may know better
    basis: str = "none"  # verb, stated, head, product, detail, complement, generic, compound, model, none
    phrase: str = ""  # the lexicon phrase (or verb) that decided, for context rules ("metrics")


def tokens_of(label: str, token_words) -> list[Token]:
    """The label's words with where each stands: segment, block and conjunction marks.

    `token_words(raw)` turns one raw token into its normalised words (camelCase,
    plurals, abbreviations), as the lexicon does for its own phrases."""
    if "{" in label:
        label = _PLACEHOLDER.sub(" ", label)  # template variables are no words: "hdfs://{host}/{path}"
    if not _STRUCTURE.search(label):  # most labels: words and spaces, one line
        return [Token(word, 0, 0) for raw in _TOKEN.findall(label) for word in token_words(raw)]
    text = label.replace("&", " and ").replace("+", " and ")
    out: list[Token] = []
    depth = 0
    segment = block = 0
    how = "name"
    segments = blocks = 0
    outer = (0, "name")  # the segment a bracket interrupts, resumed when it closes
    previous = 0
    for match in _TOKEN.finditer(text):
        gap = text[previous : match.start()]
        previous = match.end()
        new = None
        if gap and gap != " ":
            for char in gap:
                if char in "([":
                    if depth == 0:
                        outer = (segment, how)
                        new = "bracket"
                    depth += 1
                elif char in ")]" and depth:
                    depth -= 1
                    if depth == 0:
                        new = "resume"
            after = gap[gap.rfind(")") + 1 :] if new == "resume" else gap
            if depth == 0 and new in (None, "resume") and out:
                if _COLON.search(after):
                    new = "colon"
                elif "\n" in after and not (out[-1].word in _CONJUNCTION_WORDS or any(c in _CONJUNCTION_MARKS for c in after)):
                    new = "line"  # a line that does not carry on a list ("Promtail +\nLoki logs" does)
        mark = bool(out) and new is None and gap != " " and any(c in _CONJUNCTION_MARKS for c in gap)
        if new == "resume":
            segment, how = outer
            blocks += 1
            block = blocks
        elif new is not None and (out or new == "bracket"):
            segments += 1
            segment, how = segments, new
            if new != "line":
                blocks += 1
                block = blocks
        for word in token_words(match.group()):
            out.append(Token(word, segment, block, how, mark))
            mark = False
    return out


def join_wrapped_name(tokens: list[Token], tiles: list["Tile"], verbs: dict | None = None) -> None:
    """A first line that names nothing is the start of a wrapped name ("Gradual\nrollout",
    "Source\nPostgreSQL"): the lines below join it until it names something. So is a first
    line that is only a verb, which needs its object ("Prepare\nTraining\nData"), unless
    the verb is also a noun ("Index\nFAISS" is the index)."""
    while True:
        name = " ".join(t.word for t in tokens if t.segment == 0)
        verb = (verbs or {}).get(name)
        only_verb = verb is not None and not verb[3]
        runs_on = only_verb or any(t.segment == 0 and tokens[t.end - 1].segment != 0 for t in tiles)  # its object wraps too
        if not runs_on and any(t.segment == 0 and not t.generic for t in tiles):
            return
        following = sorted({t.segment for t in tokens if t.segment > 0})
        if not following:
            return
        nxt = following[0]
        line = [t for t in tokens if t.segment == nxt]
        if line[0].how != "line" or (not only_verb and any(t.mark or t.word.isdigit() or t.word == "#" for t in line)):
            return  # a bracket, or a line that lists or counts (a number, or "#" as cache keys write one): a detail,
            # unless a lone verb needs it as its object ("Fine-tune\nLlama 3")
        for t in tokens:
            if t.segment == nxt:
                t.segment, t.how = 0, "name"
        for t in tiles:
            if t.segment == nxt:
                t.segment = 0


def set_conjuncts(tokens: list[Token], tiles: list["Tile"], conjunctions: frozenset[str]) -> None:
    """Conjuncts: a mark, or "and"/"or" outside a phrase ("Weights and Biases" is one name)."""
    inside = set()
    for t in tiles:
        inside.update(range(t.start + 1, t.end))
    count = 0
    for i, token in enumerate(tokens):
        if i and tokens[i - 1].segment != token.segment:
            count = 0
        elif token.mark or (i and tokens[i - 1].word in conjunctions and i not in inside and i - 1 not in inside):
            count += 1
        token.conjunct = count
    for t in tiles:
        t.conjunct = tokens[t.start].conjunct


def set_complement(tokens: list[Token], tiles: list["Tile"], prepositions: frozenset[str]) -> None:
    """What follows the name's first preposition is its complement, read after the name:
    "Prefix cache for common prompts", "PSI calculator per feature"."""
    covered = set()
    for t in tiles:
        covered.update(range(t.start, t.end))
    names = [i for i, t in enumerate(tokens) if t.segment == 0]
    cut = next((i for i in names[1:] if tokens[i].word in prepositions and i not in covered), None)
    if cut is None:
        return
    for i in names:
        if i > cut:
            tokens[i].segment, tokens[i].how = 0.5, "after"
    for t in tiles:
        t.segment = tokens[t.start].segment


def tile(tokens: list[Token], phrases: dict, lengths: dict[str, tuple[int, ...]], generic: frozenset[str]) -> list[Tile]:
    """The lexicon phrases that cover the most words, head-final on ties.

    Phrases never cross a bracket or a colon but may run across lines and conjunctions
    ("Real-time feature\ncomputation", "A/B test"). Among tilings covering as many
    words, the one with fewer phrases wins, and then the one whose longer phrase stands
    further right, as English compounds end in their head noun ("event stream
    processing" is stream processing). `lengths` gives, per first word, the lengths of
    the phrases that start with it."""
    n = len(tokens)
    words = [t.word for t in tokens]
    # best[i]: (covered, -tiles) for tokens[i:], and the phrase length chosen at i
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    choice: list[int] = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], 0
        block = tokens[i].block
        for length in lengths.get(words[i], ()):
            if i + length > n or tokens[i + length - 1].block != block:
                continue
            phrase = words[i] if length == 1 else " ".join(words[i : i + length])
            if phrase not in phrases:
                continue
            covered, count = best[i + length]
            option = (covered + length, count - 1)
            if option > best[i]:  # strictly better: on a tie the shorter phrase at the left stays
                best[i], choice[i] = option, length
    tiles: list[Tile] = []
    i = 0
    while i < n:
        length = choice[i]
        if length:
            phrase = words[i] if length == 1 else " ".join(words[i : i + length])
            tiles.append(Tile(i, length, phrases[phrase], phrase in generic, tokens[i].segment, 0))
            i += length
        else:
            i += 1
    return tiles


@dataclass
class Grammar:
    """What the reader needs from the lexicon (kinds.toml), in normalised words."""

    phrases: dict[str, list[tuple[str, bool]]]
    lengths: dict[str, tuple[int, ...]]  # first word -> lengths of the phrases it starts
    generic: frozenset[str]  # phrases that never decide alone
    hosts: frozenset[str]  # where a box runs ("Lambda", "GitHub Actions"): generic, and a verb may follow them
    describing: frozenset[str]  # phrases that say how or which, never a role of their own
    fillers: frozenset[str]  # words a stated role may carry: "(the fallback)"
    model_words: frozenset[str]  # phrases that say "a model" and no more
    weak_heads: frozenset[str]  # kinds whose head noun yields to a longer phrase before it
    vague: frozenset[str]  # generic words that, beside words no kind knows, leave a box unknown
    prepositions: frozenset[str]
    verbs: dict[str, tuple[str, tuple[str, ...], bool, bool, str]]  # phrase -> (kind or "", nouns, weak, noun, on_data)
    containers: frozenset[str]  # kinds whose nouns end a compound ("Search API")
    held: dict[str, str]  # kinds of kept data -> what a verb acting on them is ("" its own kind: "Prepare training data")
    max_verb: int
    batch_words: frozenset[str]
    batch_kinds: frozenset[str]
    batch_engines: frozenset[str]
    online_words: frozenset[str]
    stream_words: frozenset[str]
    transfer_words: frozenset[str]
    transfer: dict[str, str]
    compounds: list  # kinds.Compound
    compound_heads: frozenset[str]
    prefer: list  # kinds.Prefer
    rank: dict[str, int]
    narrows: list = field(default_factory=list)  # kinds.Narrow
    tasks: frozenset[str] = frozenset()  # a model's task ("detection"): decides only as the name's last word
    owners: frozenset[str] = frozenset()  # whose: before a word no kind knows, they leave the box unknown ("Device ban")
    engines: frozenset[str] = frozenset()  # kinds whose products, named with kept data, process it
    compared: frozenset[str] = frozenset()  # what a model outputs: "forecast vs actual" evaluates it
    objects: frozenset[str] = frozenset()  # who or what a verb acts on, never a container: "Score users"


def read(tokens: list[Token], grammar: Grammar) -> Reading:
    if not tokens:
        return Reading("unknown", why="empty label")
    tiles = tile(tokens, grammar.phrases, grammar.lengths, grammar.generic)
    join_wrapped_name(tokens, tiles, grammar.verbs)
    set_conjuncts(tokens, tiles, _CONJUNCTION_WORDS)
    set_complement(tokens, tiles, grammar.prepositions)
    words = [t.word for t in tokens]
    reading = _verb(tokens, tiles, words, grammar)
    if reading is None:
        reading = _declared(tokens, tiles, words, grammar)
    if reading is None:
        reading = _transfer(tokens, tiles, words, grammar)
    if reading is None:
        reading = _by_parts(tokens, tiles, words, grammar)
    if reading is None or reading.kind in _MODEL_OUTPUTS:
        compared = _compared(words, grammar)  # "Forecast vs actual" judges; "Accuracy dashboard: forecast vs actual" monitors
        if compared is not None:
            return compared
    if reading is None:
        if any(" ".join(words[i : i + n]) in grammar.model_words for i in range(len(words)) for n in (1, 2, 3)) \
                and not any(w in grammar.vague for w in words):
            return _batch(Reading("unknown", why="model word", model=True, basis="model"), tokens, tiles, grammar)
        return Reading("unknown", weak=True)
    if reading.basis not in ("verb", "stated"):
        reading = _compound(reading, tokens, tiles, words, grammar)
    if reading.model:
        return _batch(reading, tokens, tiles, grammar)
    reading = _narrow(reading, tokens, tiles, words, grammar)
    reading.roles = _roles(reading.kind, tiles, tokens, grammar)
    return _streaming(_batch(reading, tokens, tiles, grammar), tokens, tiles, grammar)


def _phrase(tokens: list[Token], tile_: Tile) -> str:
    return " ".join(t.word for t in tokens[tile_.start : tile_.end])


def _quote(words: list[str], start: int, end: int) -> str:
    return '"' + " ".join(words[start:end]) + '"'


def _role_tiles(tiles: list[Tile], grammar: Grammar) -> list[Tile]:
    return [t for t in tiles if not t.generic]


def _verb(tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading | None:
    """A role verb opening the name, with something after it: "Fit XGBoost", "Retrain weekly"."""
    first = next((i for i, t in enumerate(tokens) if t.segment == 0), None)
    if first is None:
        return None
    segment = 0
    while (host := next((t for t in tiles if t.start == first and t.segment == 0), None)) is not None \
            and " ".join(words[host.start : host.end]) in grammar.hosts:
        first = host.end  # "Lambda register model", "GitHub Actions\ntrain.yml": the verb after the host
    named = [t for t in tiles if t.segment == 0]
    if named and all(" ".join(words[t.start : t.end]) in grammar.hosts for t in named):
        after = next((i for i in range(first, len(tokens)) if tokens[i].segment != 0), None)
        if after is not None and tokens[after].how in ("colon", "line"):
            first, segment = after, tokens[after].segment  # a name that is only a host: "bx/dvc.yaml: clean ratings"
    name_end = first
    while name_end < len(tokens) and tokens[name_end].segment == segment:
        name_end += 1
    for n in range(min(grammar.max_verb, name_end - first - 1), 0, -1):
        phrase = " ".join(words[first : first + n])
        verb = grammar.verbs.get(phrase)
        if verb is None:
            continue
        opening = next((t for t in tiles if t.start == first), None)
        if opening is not None and opening.length > n and not opening.generic:
            return None  # a noun phrase that starts like a verb: "Label store", "Review queue"
        kind, nouns, weak, noun, on_data = verb
        if first + n < name_end and words[first + n] in _CONJUNCTION_WORDS and kind:
            return Reading(kind, why=f'verb "{phrase}"', basis="verb", phrase=phrase)  # "Extract and index text"
        if noun and _ends_in_container(tokens, tiles, first, name_end, grammar):
            return None  # a noun-verb before a container noun: "Search API", "Log store"
        places = [i for i in range(first + n, name_end) if words[i] not in grammar.fillers]
        rest = [words[i] for i in places]
        named = {i for t in tiles if t.kinds and all(product for _, product in t.kinds) for i in range(t.start, t.end)}
        # the object and the verb's noun, as a compound: "Monitor drift" -> drift monitor
        # (any words of the object, longest and first first: "Validate incoming data" -> data validation)
        for part in (rest[start : start + size] for size in range(min(len(rest), 3), 0, -1)
                     for start in range(len(rest) - size + 1)
                     if not start or not named.intersection(places[start : start + size])):  # a product is a tool
            for noun in nouns:
                found = grammar.phrases.get(" ".join([*part, noun]))
                roles = [k for k, product in (found or ()) if not product]
                if roles:
                    return Reading(_first(roles, grammar), why=f'verb "{phrase}" + "{" ".join(part)}"', basis="verb",
                                   phrase=phrase)
        if weak:
            objects = [t for t in _role_tiles(tiles, grammar) if t.segment == segment and t.start >= first + n
                       and not any(product for _, product in t.kinds)]  # a product (even one named like a role) is a tool
            if objects:
                head = _head(objects, grammar)
                acted_on = _kind_of(head, grammar)
                if acted_on in grammar.held and (on_data or kind):  # what it acts on is kept data: "Prepare training data"
                    return Reading(on_data or grammar.held[acted_on] or kind, why=f'verb "{phrase}" on {_quote(words, head.start, head.end)}', basis="verb",
                                   phrase=phrase)
                return Reading(acted_on, why=f'verb "{phrase}" on {_quote(words, head.start, head.end)}', basis="verb",
                               phrase=" ".join(words[head.start : head.end]))
            if not kind:
                return None
        return Reading(kind, why=f'verb "{phrase}"', basis="verb", phrase=phrase)
    return None


def _compared(words: list[str], grammar: Grammar) -> Reading | None:
    """A model's output set against something ("Forecast vs actual", "predictions vs labels"):
    the box judges the model, whatever the words name."""
    for i in range(1, len(words) - 1):
        if words[i] in _COMPARISONS and words[i - 1] in grammar.compared and words[i + 1] not in grammar.compared:
            return Reading("evaluation", why=f'"{words[i - 1]}" {words[i]} "{words[i + 1]}"', basis="compound",
                           phrase=words[i - 1])
    return None


def _ends_in_container(tokens: list[Token], tiles: list[Tile], first: int, end: int, grammar: Grammar) -> bool:
    """The name ends in a container noun (a product name does not count): "Search API",
    "Log store", "Page rank DB", "Trigger service"."""
    after = [t for t in tiles if first < t.start and t.end <= end and not any(p for _, p in t.kinds)]
    if not after:
        return False
    head = max(after, key=lambda t: t.end)  # words no kind knows after it do not matter
    if " ".join(t.word for t in tokens[head.start : head.end]) in grammar.objects:
        return False  # what the verb acts on: "Score all users nightly", "Rank items"
    return head.generic or any(k in grammar.containers and not p for k, p in head.kinds)


def _declared(tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading | None:
    """A detail that states one role and nothing else but product names: "(fallback)",
    "(A/B)", "(S3 artifacts)", a line "online feature store" under "Redis". Techniques
    and modes ("(two-tower)", "(batch)") describe rather than state."""
    segments = sorted({t.segment for t in tokens if t.how in ("bracket", "line")})
    for n, segment in enumerate(segments):
        stated = _stated(segment, tokens, tiles, words, grammar)
        if stated is None:
            continue
        following = segments[n + 1] if n + 1 < len(segments) else None
        if (following is not None and _is_line(following, tokens) and _is_line(segment, tokens)
                and _only_phrase(segment, tokens, tiles)
                and (then := _stated(following, tokens, tiles, words, grammar)) is not None and then.kind != stated.kind):
            continue  # one role word per line is a name wrapped in a narrow box, its head last ("React\nSearch\nUI")
        return stated
    return None


def _is_line(segment: float, tokens: list[Token]) -> bool:
    return next(t for t in tokens if t.segment == segment).how == "line"


def _only_phrase(segment: float, tokens: list[Token], tiles: list[Tile]) -> bool:
    """The segment's words are one lexicon phrase and nothing else."""
    at = [i for i, t in enumerate(tokens) if t.segment == segment]
    return any(t.start == at[0] and t.end == at[-1] + 1 for t in tiles)


def _stated(segment: float, tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading | None:
    """The role a detail states, if it states one and nothing else but product names."""
    first = next(i for i, k in enumerate(tokens) if k.segment == segment)
    if any(t.start < first < t.end for t in tiles):
        return None  # a phrase runs into this line from the one above: the name wraps
    if tokens[first].how == "line" and tokens[first].word in grammar.prepositions:
        return None  # the name goes on: "Baseline job\non training data" is no training data
    access = next((i for i, k in enumerate(tokens) if k.segment == segment and k.word in _ACCESS), None)
    here = [t for t in tiles if t.segment == segment and not t.generic and (access is None or t.start < access)]
    inside = [t for t in here if any(not product for _, product in t.kinds)]
    if len(inside) != 1:
        return None  # two roles, or a role and a technique: a description ("(BM25 + embeddings)")
    only = inside[0]
    phrase = " ".join(words[only.start : only.end])
    if phrase in grammar.describing or phrase in grammar.fillers:
        return None  # "(monthly, manual)" says how, not what: a filler states no role
    covered = {i for t in here for i in range(t.start, t.end)}
    if any(t.segment == segment and i not in covered and t.word not in grammar.fillers
           and t.word not in grammar.generic and (access is None or i < access) for i, t in enumerate(tokens)):
        return None  # more than a role and product names: a description
    kind = _kind_of(only, grammar)
    engine = _engine(tokens[:first], tiles, grammar) if kind in grammar.held else None
    if engine is not None:  # "Flink\nreal-time features" computes them, "Spark (raw events)" processes them
        return Reading(grammar.held[kind] or engine, why=f'"{" ".join(t.word for t in tokens[:first])}" on "{phrase}"',
                       basis="stated", phrase=phrase)
    kind = _preferred(kind, [t for t in tiles if t.end <= first or t.segment == segment], grammar)  # "DynamoDB\nraw data": the product above is the store
    return Reading(kind, why=f'stated "{phrase}"', basis="stated", phrase=phrase)


def _engine(before: list[Token], tiles: list[Tile], grammar: Grammar) -> str | None:
    """The kind of the processing step the name before a detail is ("Flink", "Apache Spark",
    "Spark job", "ETL"), if it is one and nothing else: what the detail says it holds is then
    what it processes."""
    named = [t for t in tiles if t.segment == 0 and t.end <= len(before)]
    covered = {i for t in named for i in range(t.start, t.end)}
    if any(t.segment == 0 and i not in covered and t.word not in grammar.fillers for i, t in enumerate(before)):
        return None  # words no phrase knows: more than an engine
    kinds = {_kind_of(t, grammar, products=True) for t in named if not t.generic}
    if len(kinds) != 1 or not kinds <= grammar.engines:
        return None
    return next(iter(kinds))


def _transfer(tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading | None:
    """A name that is one kept store "to" another and nothing else ("S3 to Redshift", "Bronze
    to silver", "Kafka into S3") is the step that moves the data between them: what writes
    the feature store computes features (`held`), what reads a stream streams (`transfer`)."""
    cut = next((i for i, t in enumerate(tokens) if t.how == "after"), None)
    if cut is None or words[cut - 1] not in grammar.transfer_words:
        return None
    covered = {i for t in tiles for i in range(t.start, t.end)}
    if any(t.segment in (0, 0.5) and i != cut - 1 and i not in covered and t.word not in grammar.fillers
           for i, t in enumerate(tokens)):
        return None  # words no phrase knows: more than two stores
    sides = []
    for segment in (0, 0.5):
        kinds = {_kind_of(t, grammar, products=True) for t in tiles if t.segment == segment and not t.generic}
        if len(kinds) != 1 or not kinds <= grammar.held.keys():
            return None
        sides.append(kinds.pop())
    source, target = sides
    kind = grammar.held[target] or grammar.transfer.get(source) or grammar.transfer.get("default")
    if not kind:
        return None
    return Reading(kind, why=f'"{" ".join(words[:cut - 1])}" {words[cut - 1]} "{" ".join(w for w, t in zip(words, tokens) if t.segment == 0.5)}"',
                   basis="head", phrase=words[cut - 1])


# the order of _by_parts: (what decided, which segments, product names or role words)
_ORDER = (
    ("head", lambda segment: segment == 0, False),
    ("product", lambda segment: segment == 0, True),
    ("detail", lambda segment: segment >= 1, False),
    ("complement", lambda segment: segment == 0.5, False),
    ("detail product", lambda segment: segment > 0, True),
)


def _by_parts(tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading | None:
    """Role words before product names; the name before its complement ("... for X") and
    before its details (a detail that lists contents, "users, tasks, runs", names none).
    Within a part each conjunct has its head noun, and the longest head wins, the first
    conjunct on a tie ("Monitoring & alerting" is monitoring)."""
    lists = {t.segment for t in tokens if t.conjunct > 0 and t.segment >= 1}
    roles: list[Tile] = []
    products: list[Tile] = []
    for t in tiles:
        if t.generic or (t.segment >= 1 and " ".join(words[t.start : t.end]) in grammar.describing):
            continue
        if t.segment not in lists and any(not product for _, product in t.kinds):
            roles.append(t)
        else:  # a product name, or a word of a list of contents: read last
            products.append(t)
    for what, found, is_product in _ORDER:
        part = [t for t in (products if is_product else roles) if found(t.segment)]
        if not part:
            continue
        segment = min(t.segment for t in part)
        conjuncts: dict[int, list[Tile]] = {}
        for t in part:
            if t.segment == segment:
                conjuncts.setdefault(t.conjunct, []).append(t)
        heads = [_head(conjuncts[c], grammar) for c in sorted(conjuncts)]
        head = max(heads, key=lambda t: t.length)  # max keeps the first on a tie
        beside = [t for t in tiles if t.segment == segment or tokens[t.start].how == "bracket"]
        kind = _preferred(_kind_of(head, grammar, products=is_product), beside, grammar)
        return Reading(kind, why=f"{what} {_quote(words, head.start, head.end)}", segment=head.segment, basis=what,
                       phrase=" ".join(words[head.start : head.end]))
    generic = [t for t in tiles if t.generic]
    if generic:
        segment = min(t.segment for t in generic)
        head = max((t for t in generic if t.segment == segment), key=lambda t: t.end)
        phrase = _quote(words, head.start, head.end)
        if phrase.strip('"') in grammar.vague and _unknown_words(tokens, tiles, grammar):
            return Reading("unknown", why=f"{phrase} beside unknown words", weak=True, basis="generic")
        if phrase.strip('"') in grammar.owners and _unknown_words(tokens, tiles, grammar, after=head.end):
            return Reading("unknown", why=f"{phrase} before unknown words", weak=True, basis="generic")
        if phrase.strip('"') in grammar.tasks and (after := _unknown_words(tokens, tiles, grammar, after=head.end)):
            if any(w in grammar.model_words for w in after):
                return None  # "Classification model": a model, for the graph to place
            return Reading("unknown", why=f"{phrase} before unknown words", weak=True, basis="generic")
        return Reading(_kind_of(head, grammar), why=f"generic {phrase}", weak=True, basis="generic", phrase=phrase.strip('"'))
    return None


def _unknown_words(tokens: list[Token], tiles: list[Tile], grammar: Grammar, after: int = 0) -> list[str]:
    """The name's words no kind knows (from token `after` on): "Transcoding" in "Transcoding service"."""
    covered = {i for t in tiles for i in range(t.start, t.end)}
    return [t.word for i, t in enumerate(tokens) if i >= after and i not in covered and t.segment == 0 and not t.word.isdigit()
            and t.word not in grammar.fillers and t.word not in grammar.generic and len(t.word) > 1]


def _head(tiles: list[Tile], grammar: Grammar) -> Tile:
    """The rightmost phrase: English compounds end in their head noun ("Two-tower model
    training" is training, "LLM gateway" a gateway). An API yields to a longer phrase
    before it, whose serving side it is ("Feature serving API")."""
    head = max(tiles, key=lambda t: t.end)
    if not any(k in grammar.weak_heads for k, _ in head.kinds):
        return head
    longer = [t for t in tiles if t.end <= head.start and t.length > head.length]
    if longer:
        return max(longer, key=lambda t: (t.length, t.end))
    return head


def _kind_of(tile_: Tile, grammar: Grammar, products: bool = False) -> str:
    kinds = [k for k, product in tile_.kinds if products or not product] or [k for k, _ in tile_.kinds]
    return _first(kinds, grammar)


def _first(kinds: list[str], grammar: Grammar) -> str:
    return min(kinds, key=lambda k: grammar.rank.get(k, 99))


def _preferred(kind: str, tiles: list[Tile], grammar: Grammar) -> str:
    """[[prefer]] pairs: a product that *is* the role ("Kafka event log" is the stream)."""
    present = {k: product for t in tiles for k, product in t.kinds}
    for rule in grammar.prefer:
        if rule.over == kind and rule.winner in present and (rule.when == "any" or present[rule.winner]):
            kind = rule.winner
    return kind


def _compound(reading: Reading, tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading:
    """[[compound]] rules: a head noun whose modifier changes what the box is ("CRM
    dashboard" is business reporting; "CatBoost service" serves a model; "XGBoost model"
    is a model, for the graph to place)."""
    if not any(t.word in grammar.compound_heads for t in tokens):
        return reading
    inside = {i for t in tiles if t.length > 1 for i in range(t.start, t.end)}  # "BentoML store" is a name
    heads = [i for i, t in enumerate(tokens) if t.word in grammar.compound_heads and t.segment in (0, reading.segment)
             and i not in inside][:MAX_HEADS]
    tiles_at: dict[int, list[Tile]] = {}
    for t in tiles:
        tiles_at.setdefault(t.start, []).append(t)
    # a head -> what may modify it: the words (and word pairs) before it in its line and
    # conjunct, at most MODIFIER_REACH of them, and the tiles they start; worked out once
    befores: dict[int, tuple[list[tuple[int, str]], list[Tile]]] = {}
    for rule in grammar.compounds:
        for i in heads:
            token = tokens[i]
            if token.word not in rule.heads:
                continue
            if i not in befores:
                before = [j for j in range(max(0, i - MODIFIER_REACH), i)
                          if tokens[j].segment == token.segment and tokens[j].conjunct == token.conjunct]
                befores[i] = ([(j, w) for j in before for w in (words[j], " ".join(words[j : j + 2]))],
                              [t for j in before for t in tiles_at.get(j, ()) if t.end <= i])
            said, tiled = befores[i]
            named = [w for j, w in said if w in rule.modifiers and not _split(tiles, j, len(w.split()), i)]
            modifiers = [t for t in tiled
                         if any(k in rule.modifier_kinds and (product or not rule.products_only) for k, product in t.kinds)]
            if not named and not modifiers:
                continue
            kinds = [k for t in modifiers for k, _ in t.kinds if k in rule.modifier_kinds]
            modifier = named[0] if named else " ".join(words[modifiers[0].start : modifiers[0].end])
            why = f'"{modifier}" + "{token.word}"'
            if rule.kind == "model":
                return Reading("unknown", why=why, model=True, basis="model")
            kind = rule.kind if rule.kind != "modifier" else _first(kinds, grammar)
            return Reading(kind, why=f"{why}: {rule.why}" if kind == "unknown" and rule.why else why, basis="compound")
    return reading


def _narrow(reading: Reading, tokens: list[Token], tiles: list[Tile], words: list[str], grammar: Grammar) -> Reading:
    """[[narrow]] rules: a detail that names a narrower kind of what the name says decides
    ("Labels: chargebacks, complaints" are outcomes fed back; "Feature engineering\n
    feature_column.py" is the shared feature definitions). A product never narrows a role a
    verb states: after "Preprocess ..." it is the tool the step runs on."""
    by_product = reading.basis != "verb"
    for rule in grammar.narrows:
        if reading.kind not in rule.kinds:
            continue
        for t in tiles:
            found = [k for k, product in t.kinds if k in rule.detail_kinds and (not product or rule.products and by_product)]
            if t.segment >= 1 and not t.generic and found and not _names_other(tiles, t.segment, rule.detail_kinds):
                kind = _first(found, grammar)
                return Reading(kind, why=f'{reading.why}, detail {_quote(words, t.start, t.end)}', segment=t.segment,
                               basis=reading.basis, phrase=reading.phrase)
    return reading


def _names_other(tiles: list[Tile], segment: float, kinds: list[str]) -> bool:
    """The detail also names other roles: it describes ("forecast vs actual, Ray Tune"), it
    does not name the narrower member."""
    return any(t.segment == segment and not t.generic and not any(k in kinds for k, _ in t.kinds)
               and not any(product for _, product in t.kinds) for t in tiles)  # a product is a tool, not a role


def _split(tiles: list[Tile], start: int, length: int, head: int) -> bool:
    """The longer phrase right before the head is its modifier, not a word inside it:
    "candidate" in "Candidate generation models" is part of "candidate generation"."""
    return any(t.length > length and t.start <= start < t.end and t.end == head for t in tiles)


def _batch(reading: Reading, tokens: list[Token], tiles: list[Tile], grammar: Grammar) -> Reading:
    """A model-serving reading run on a schedule or by a batch engine is batch inference
    ("Score nightly", "Spark scoring"); a product's own words ("Azure ML batch endpoint")
    are its name, not a schedule."""
    named = {i for t in tiles if all(product for _, product in t.kinds) for i in range(t.start, t.end)}
    batch = [t.word for i, t in enumerate(tokens) if t.segment == 0 and i not in named and t.word in grammar.batch_words]
    batch += [pair for i, (a, b) in enumerate(zip(tokens, tokens[1:])) if a.segment == b.segment == 0  # "every night"
              and i not in named and (pair := f"{a.word} {b.word}") in grammar.batch_words]
    if not batch and reading.kind in grammar.batch_kinds:  # a batch engine's scoring: "Spark scoring"
        words = [t.word if i not in named else "" for i, t in enumerate(tokens)]  # a product's words are its name
        if not ({*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))} & grammar.online_words):
            scoring = [t for t in tiles if any(k in grammar.batch_kinds and not product for k, product in t.kinds)]
            batch = [p for t in tiles if (p := _phrase(tokens, t)) in grammar.batch_engines
                     and any(s.start >= t.end and tokens[s.start].block == tokens[t.start].block for s in scoring)]
    if (reading.kind in grammar.batch_kinds or reading.model) and batch:
        word = batch[0]
        return Reading("batch_inference", why=f'{reading.why}, "{word}"', segment=reading.segment, basis=reading.basis,
                       phrase=reading.phrase)
    return reading


def _streaming(reading: Reading, tokens: list[Token], tiles: list[Tile], grammar: Grammar) -> Reading:
    """A batch-processing reading said to run on a stream, and not on a schedule, is stream
    processing ("Real-time ETL", "Stream enrichment", "Dataflow (streaming)"); the words of a
    longer phrase ("event stream", "Kafka Streams") or a product say what, not how."""
    if reading.kind != "batch_processing":
        return reading
    inside = {i for t in tiles if t.length > 1 or all(product for _, product in t.kinds) for i in range(t.start, t.end)}
    words = [t.word if i not in inside else "" for i, t in enumerate(tokens)]
    said = {*words, *(f"{a} {b}" for a, b in zip(words, words[1:]) if a and b)}
    stream = sorted(said & grammar.stream_words)
    if not stream or said & grammar.batch_words:
        return reading
    return Reading("stream_processing", roles=reading.roles, why=f'{reading.why}, "{stream[0]}"', segment=reading.segment,
                   basis=reading.basis, phrase=reading.phrase)


def _roles(kind: str, tiles: list[Tile], tokens: list[Token], grammar: Grammar) -> list[str]:
    """Other kinds the label names: in another conjunct of the name ("Monitoring & drift
    detection"), joined by "and"/"+"/"with" ("Retrieval (BM25 + embeddings)"), or by a
    phrase of two words or more ("Kafka event log"). A single word before the head is
    its modifier, not a role ("Stream features")."""
    head_conjuncts = {t.conjunct for t in tiles if t.segment == 0 and not t.generic
                      and any(k == kind for k, _ in t.kinds)}
    joined = any(t.word in _JOINING for t in tokens)
    roles: list[str] = []
    for t in sorted(tiles, key=lambda t: (-t.length, t.start)):
        if t.generic:
            host = [k for k, _ in t.kinds if k != "unknown"] if _phrase(tokens, t) in grammar.hosts else []
            if host and kind not in host and _first(host, grammar) not in roles:
                roles.append(_first(host, grammar))  # "GitHub Actions\ntrain.yml": training, run by CI/CD
            continue
        own = [k for k, product in t.kinds if not product]
        if not own or kind in own:
            continue
        modifier = t.segment == 0 and (not head_conjuncts or t.conjunct in head_conjuncts)
        if t.length >= 2 or (joined and not modifier) or (t.segment == 0 and not modifier):
            role = _first(own, grammar)
            if role not in roles and role != "unknown":
                roles.append(role)
    return roles
