"""Russian and Chinese labels are read by their role words (patterns/languages.toml),
in any inflected form, in English word order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.errors import PatternError
from diagramcheck.kinds import default_lexicon
from diagramcheck.languages import load_languages
from tests.conftest import graph_of
from diagramcheck.writers.excalidraw import SceneBuilder


def english(label: str) -> str:
    return " ".join(default_lexicon().translated(label).split())


@pytest.mark.parametrize("label, said", [
    # every case of a word listed once in its dictionary form
    ("Оператор", "operator"),
    ("Операторы", "operator"),
    ("Оператору", "operator"),
    # a noun and the nouns in the genitive after it read in English order
    ("Очередь задач", "task queue"),
    ("Сервис обработки заказов", "order processing service"),
    ("Мониторинг дрейфа данных", "data drift monitoring"),
    # adjectives stay with their noun; the head's before the whole
    ("Очередь ручной проверки", "manual review queue"),
    ("Жёсткие правила риска", "hard risk rule"),
    # an unknown word is kept, in the genitive when its ending says so
    ("Очередь звонков", "звонков queue"),
    # several words matched as one ("база данных" is a database, not a data base)
    ("База данных пользователей", "user database"),
    ("Поток событий в реальном времени", "event stream in real time"),
    # prepositions break the chain
    ("Модель для классификации текстов", "model for text classification"),
    # Latin words, punctuation and lines stay where they are
    ("ML-классификатор\nKafka", "ML-classifier\nKafka"),
    # Chinese: the longest listed words, from the left; what none covers is kept
    ("在线推理服务", "online inference service"),
    ("用户的行为日志", "user behavior log"),
    ("数据库", "database"),
    ("模型鑫存储", "model 鑫 storage"),
])
def test_labels_are_read_in_english(label, said):
    assert english(label) == " ".join(said.split())


@pytest.mark.parametrize("label, kind", [
    ("Обучение модели ранжирования", "training"),
    ("Реестр моделей", "model_registry"),
    ("Журнал кликов пользователей", "event_log"),
    ("Хранилище векторов", "vector_index"),
    ("精排模型", "ranking"),
    ("召回服务", "candidate_generation"),
    ("人工审核队列", "human_review"),
])
def test_role_words_decide_the_kind(label, kind):
    match = default_lexicon().classify(label)
    assert match.kind == kind
    assert match.note.startswith('read as "')


def test_a_russian_label_in_a_drawing_is_typed_and_says_how_it_was_read():
    s = SceneBuilder(seed=5)
    s.box("Хранилище признаков", 0, 0, 200, 80)
    s.box("Обучение модели", 300, 0, 200, 80)
    graph = graph_of(s.scene())
    kinds = {c.label: (c.kind, c.kind_note) for c in graph.components}
    assert kinds["Хранилище признаков"][0] == "feature_store"
    assert 'read as "feature store"' in kinds["Хранилище признаков"][1]
    assert kinds["Обучение модели"][0] == "training"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_translates_without_error_and_ascii_is_left_alone(text):
    out = default_lexicon().translated(text)
    assert isinstance(out, str)
    if text.isascii():
        assert out == text
    default_lexicon().classify(text)


def test_two_russian_words_sharing_a_stem_are_a_data_error(tmp_path):
    bad = tmp_path / "languages.toml"
    bad.write_text('version = 1\n[ru.nouns]\n"обучение" = "training"\n[ru.adjectives]\n"обученный" = "trained"\n',
                   encoding="utf-8")
    with pytest.raises(PatternError, match="share the stem"):
        load_languages(bad)


def test_a_bad_languages_file_names_the_file(tmp_path):
    bad = tmp_path / "languages.toml"
    bad.write_text('version = 1\n[ru]\nnouns = ["модель"]\n', encoding="utf-8")
    with pytest.raises(PatternError, match="languages.toml"):
        load_languages(bad)
