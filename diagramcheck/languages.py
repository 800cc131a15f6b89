"""Labels written in other languages, read as the English words the lexicon knows.

patterns/languages.toml gives the role words of each language (Russian, Chinese) as a
person who knows the language would translate them. A label's runs of those scripts are
rewritten in English before the reading (reading.py) sees them, so "Очередь операторов"
is read as "operator queue" and "在线推理服务" as "online inference service"; Latin
words, punctuation and line breaks stay where they are.

- Russian is inflected: every word is looked up by its Snowball stem, so any case or
  number of a word listed once in its dictionary form is found ("оператор",
  "операторов", "оператору"). A noun followed by nouns in the genitive ("очередь
  операторов", queue of operators) is read in English order: "operator queue".
- Chinese has no spaces: a run of Han characters is cut into the longest listed words
  from the left; what no word covers is kept as it is (and read as no word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from diagramcheck.errors import PatternError
from diagramcheck.tomlio import STRICT, SchemaError, describe, load_toml, validated

_CYRILLIC_RUN = re.compile(r"[А-Яа-яЁё]+(?:[ \t]+[А-Яа-яЁё]+)*")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_FOREIGN = re.compile(r"[А-Яа-яЁё\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Russian noun endings of the genitive (singular and plural) that a noun's dictionary
# form does not itself end in: "риска", "операторов", "моделей", "знаний", "модели";
# the first four also mark an unknown word.
_GENITIVE = ("ов", "ев", "ей", "ий", "а", "я", "и", "ы", "ых", "их")  # -ых, -их: "данных", "метаданных"
_ADJECTIVE = ("ый", "ий", "ой", "ая", "яя", "ое", "ее")  # endings of an adjective's dictionary forms
_SHORTEST_STEM = 3
_STEM_SLACK = 2  # letters a stem may lose to meet its dictionary form's ("времени" -> время)


@dataclass
class Russian:
    __pydantic_config__ = STRICT
    nouns: dict[str, str] = field(default_factory=dict)  # dictionary form -> English
    adjectives: dict[str, str] = field(default_factory=dict)  # masculine form -> English
    verbs: dict[str, str] = field(default_factory=dict)  # infinitive -> English verb
    words: dict[str, str] = field(default_factory=dict)  # words that do not change: prepositions, conjunctions


@dataclass
class Chinese:
    __pydantic_config__ = STRICT
    words: dict[str, str] = field(default_factory=dict)  # word -> English ("" for a particle: 的)


@dataclass
class LanguagesFile:
    __pydantic_config__ = STRICT
    version: int = 1
    ru: Russian = field(default_factory=Russian)
    zh: Chinese = field(default_factory=Chinese)


@dataclass(frozen=True)
class _Entry:
    english: str
    pos: str  # noun, adjective, verb, word
    form: str  # the dictionary form of the word that inflects, "ё" written "е"
    length: int = 1  # words of a multi-word entry ("база данных")
    head: int = 0  # which of them inflects as the noun: "база данных" the first, "обратная связь" the last


@dataclass
class _Unit:
    words: list[str]  # English words (or the original word when none is known)
    noun: bool = False
    genitive: bool = False
    described: int = 0  # how many of the words are adjectives before the noun


class Translator:
    def __init__(self, spec: LanguagesFile) -> None:
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer("russian")
        self._stem = lru_cache(maxsize=65536)(self._stemmer.stemWord)  # a word repeated is stemmed once
        self._stems: dict[tuple[str, ...], _Entry] = {}
        self._longest = 1
        self.collisions: list[str] = []  # dictionary forms of different meaning sharing a stem: a data error
        ru = spec.ru
        for pos, table in (("noun", ru.nouns), ("adjective", ru.adjectives), ("verb", ru.verbs)):
            for form, english in table.items():
                parts = tuple(self._stem(w) for w in _plain(form).split())
                if parts in self._stems and self._stems[parts].english != english:
                    self.collisions.append(f"{form!r} ({english}) and {self._stems[parts].form!r} "
                                           f"({self._stems[parts].english}) share the stem {' '.join(parts)!r}")
                forms = _plain(form).split()
                head = len(forms) - 1 if forms[0].endswith(_ADJECTIVE) else 0
                self._stems[parts] = _Entry(english, pos, forms[head], len(parts), head)
                self._longest = max(self._longest, len(parts))
        self._words = {_plain(w): e for w, e in ru.words.items()}
        self._zh = dict(spec.zh.words)
        self._zh_longest = max(map(len, self._zh), default=1)
        self.translate = lru_cache(maxsize=65536)(self._translate)

    def _translate(self, label: str) -> str:
        if not _FOREIGN.search(label):
            return label
        label = _HAN_RUN.sub(lambda m: f" {self._chinese(m.group())} ", label)
        return _CYRILLIC_RUN.sub(lambda m: self._russian(m.group()), label)

    # --- Chinese ---------------------------------------------------------------

    def _chinese(self, run: str) -> str:
        out: list[str] = []
        unknown = ""
        i = 0
        while i < len(run):
            for n in range(min(self._zh_longest, len(run) - i), 0, -1):
                english = self._zh.get(run[i : i + n])
                if english is not None:
                    if unknown:
                        out.append(unknown)
                        unknown = ""
                    if english:
                        out.append(english)
                    i += n
                    break
            else:
                unknown += run[i]
                i += 1
        if unknown:
            out.append(unknown)
        return " ".join(out)

    # --- Russian ---------------------------------------------------------------

    def _russian(self, run: str) -> str:
        raw = run.split()
        plain = [_plain(w) for w in raw]
        stems = [self._stem(w) for w in plain]
        units: list[_Unit] = []
        adjectives: list[str] = []
        i = 0
        while i < len(raw):
            entry, n = self._entry(plain, stems, i)
            word = plain[i + entry.head] if entry else plain[i]
            if entry is None:
                units.append(_Unit(adjectives + [raw[i]], True, word.endswith(_GENITIVE[:4]), len(adjectives)))
                adjectives = []
            elif entry.pos == "adjective":
                adjectives.append(entry.english)
            elif entry.pos == "noun":
                units.append(_Unit(adjectives + [entry.english], True, _genitive(word, entry.form), len(adjectives)))
                adjectives = []
            else:
                if adjectives:
                    units.append(_Unit(adjectives))
                    adjectives = []
                units.append(_Unit([entry.english] if entry.english else []))
            i += n
        if adjectives:
            units.append(_Unit(adjectives))
        out: list[str] = []
        i = 0
        while i < len(units):
            j = i + 1
            if units[i].noun:  # a noun and the nouns in the genitive after it: "очередь операторов"
                while j < len(units) and units[j].noun and units[j].genitive:
                    j += 1
            head = units[i]  # its adjectives stay first: "жёсткие правила риска" is "hard risk rule"
            out += head.words[: head.described]
            for unit in reversed(units[i + 1 : j]):
                out += unit.words
            out += head.words[head.described :]
            i = j
        return " ".join(out)

    def _entry(self, plain: list[str], stems: list[str], i: int) -> tuple[_Entry | None, int]:
        if plain[i] in self._words:
            return _Entry(self._words[plain[i]], "word", plain[i]), 1
        for n in range(min(self._longest, len(plain) - i), 0, -1):
            key = tuple(stems[i : i + n])
            for cut in range(_STEM_SLACK + 1):  # "времени" stems to "времен", время to "врем"
                last = key[-1][: len(key[-1]) - cut] if cut else key[-1]
                if len(last) < _SHORTEST_STEM:
                    break
                entry = self._stems.get((*key[:-1], last))
                if entry is not None and entry.length == n:
                    return entry, n
        return None, 1


def _plain(word: str) -> str:
    return word.lower().replace("ё", "е")


def _genitive(word: str, form: str) -> bool:
    """A Russian noun in the genitive, judged by its ending against its dictionary form:
    "риска" (риск), "операторов" (оператор), "задач" (задача, no ending)."""
    if word == form:
        return False
    if any(word.endswith(e) and not form.endswith(e) for e in _GENITIVE):
        return True
    return form[-1] in "аяое" and form.startswith(word)


def load_languages(path: Path) -> Translator:
    data, _ = load_toml(path)
    try:
        spec = validated(LanguagesFile, data)
    except SchemaError as exc:
        raise PatternError(f"{path}: {describe(exc)}") from None
    translator = Translator(spec)
    if translator.collisions:
        raise PatternError(f"{path}: Russian words no reader could tell apart: {translator.collisions[0]}")
    return translator
