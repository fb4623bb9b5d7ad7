"""Sentence embeddings: the offline encoder and its checksum, vectors stored at import, and the
matcher with and without them (a tiny deterministic encoder stands in where the model's
judgement is not the point)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot import embeddings
from bot.embeddings import EncoderUnavailable, MiniLMEncoder, VectorIndex, Vectors
from bot.matching import find_matches
from bot.models import AnswerEntry, BankEntry
from bot.store import LoadedVectors, Store
from bot.testing import open_store

MIN_SCORE = 0.5


class WordEncoder:
    """Hashes words into a small vector: texts sharing words are close. Counts its calls."""

    name = "test-words"
    threads = 1

    def __init__(self) -> None:
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        return embeddings.normalise(out)


def entry(key: str, question: str) -> BankEntry:
    return BankEntry(key=key, question=question, answers=(AnswerEntry(text="An answer."),))


BANK = [
    entry("q:gout", "What are the symptoms of gout?"),
    entry("q:migraine", "Which foods help with migraine headaches?"),
    entry("q:mi", "How is a myocardial infarction treated?"),
    entry("q:acne", "Does chocolate cause acne?"),
]


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Store]:
    async with open_store(tmp_path / "t.db") as opened:
        await opened.bank.import_entries(BANK)
        yield opened


def test_the_model_file_is_verified_by_its_checksum(tmp_path: Path) -> None:
    model = tmp_path / "model.onnx"
    model.write_bytes(b"not the model")
    with pytest.raises(EncoderUnavailable, match="SHA-256"):
        MiniLMEncoder(model=model).load()
    with pytest.raises(EncoderUnavailable, match="missing"):
        MiniLMEncoder(model=tmp_path / "absent.onnx").load()
    good = hashlib.sha256(b"not the model").hexdigest()
    embeddings.verify(model, good)  # no error
    # The tokenizer is checked too.
    with pytest.raises(EncoderUnavailable, match="SHA-256"):
        MiniLMEncoder(tokenizer=model).load()


def test_the_encoder_is_off_when_the_config_says_so() -> None:
    assert embeddings.load_encoder("off") is None


def test_the_shipped_model_loads_offline_and_knows_lay_words_from_clinical_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = embeddings.load_encoder("auto")
    assert encoder is not None and encoder.name == embeddings.MODEL_NAME
    vectors = encoder.encode(
        ["How is a heart attack treated?", "How is myocardial infarction treated?", "Acne diet"]
    )
    assert vectors.shape == (3, embeddings.DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > 0.6 > unrelated


def test_a_second_encoder_thread_gives_the_same_vectors() -> None:
    texts = ["How is a heart attack treated?", "I have had a rash on my arms for a week " * 8]
    one, two = MiniLMEncoder(threads=1), MiniLMEncoder(threads=2)
    assert two.threads == 2
    assert np.allclose(one.encode(texts), two.encode(texts), atol=1e-5)
    # A bank is embedded with batches side by side, each on the encoder's own threads.
    bank = [f"Question {n} about {word}" for n, word in enumerate(["gout", "acne", "asthma"] * 7)]
    assert np.allclose(
        embeddings.encode_in_batches(two, bank, batch=4), one.encode(bank), atol=1e-5
    )


def test_vector_index_finds_the_nearest_rows() -> None:
    matrix = embeddings.normalise(np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32))
    index = VectorIndex(np.array([10, 20, 30]), matrix, WordEncoder())
    query = np.array([1.0, 0.0], dtype=np.float32)
    assert [qid for qid, _ in index.nearest(query, 2)] == [10, 20]
    assert [qid for qid, _ in index.nearest(query, 9)] == [10, 20, 30]
    assert index.cosines(query, [30, 10], ["", ""]) == pytest.approx([0.0, 1.0])
    blob = embeddings.to_blob(matrix[1])
    assert np.array_equal(embeddings.from_blobs([blob, blob])[0], matrix[1])


async def test_vectors_are_stored_once_and_redone_when_a_question_changes(
    seeded: Store,
) -> None:
    encoder = WordEncoder()
    loaded = await seeded.vectors.index_for(encoder)
    assert loaded.embedded == len(BANK)
    assert loaded.index is not None and len(loaded.index) == len(BANK)
    assert (await seeded.vectors.index_for(encoder)).embedded == 0
    await seeded.bank.import_entries([entry("q:gout", "Is gout inherited?")])
    assert (await seeded.vectors.index_for(encoder)).embedded == 1
    assert encoder.texts_encoded == len(BANK) + 1
    assert await seeded.vectors.index_for(None) == LoadedVectors(None, 0)


async def test_the_encoder_finds_what_shares_no_word_with_the_query(
    seeded: Store,
) -> None:
    class Meaning(WordEncoder):
        """Knows one paraphrase: "headache food" means the migraine question."""

        def encode(self, texts: Sequence[str]) -> Vectors:
            return super().encode(
                [t.replace("dietary triggers of head pain", "foods migraine") for t in texts]
            )

    query = "dietary triggers of head pain"
    without = await find_matches(seeded.search, query, min_score=MIN_SCORE, candidates=10)
    assert not without.hits
    vectors = (await seeded.vectors.index_for(Meaning())).index
    found = await find_matches(
        seeded.search, query, min_score=MIN_SCORE, candidates=10, vectors=vectors
    )
    assert found.best is not None and "migraine" in found.best.title
    # The same index without the vectors is full-text search again.
    plain = await find_matches(seeded.search, query, min_score=MIN_SCORE, candidates=10)
    assert not plain.hits


async def test_full_text_matching_works_with_the_encoder_off(seeded: Store) -> None:
    loaded = await seeded.vectors.index_for(embeddings.load_encoder("off"))
    assert loaded.index is None
    search = seeded.search
    found = await find_matches(search, "gout symptoms?", min_score=MIN_SCORE, candidates=10)
    assert found.is_match and found.best is not None and "gout" in found.best.title
    found = await find_matches(search, "heart attack treatment", min_score=0.5, candidates=10)
    assert found.best is not None and "myocardial" in found.best.title
    found = await find_matches(search, "car insurance", min_score=MIN_SCORE, candidates=10)
    assert not found.is_match and not found.is_unsure


def test_the_multilingual_encoder_puts_a_spanish_question_near_its_english_one() -> None:
    encoder = embeddings.load_multilingual_encoder("auto")
    assert encoder is not None and encoder.name == embeddings.MULTILINGUAL_NAME
    assert embeddings.load_multilingual_encoder("off") is None
    vectors = encoder.encode(
        [
            "¿Cuáles son los síntomas de la gota?",
            "What are the symptoms of gout?",
            "Does chocolate cause acne?",
            "Какие симптомы подагры?",
        ]
    )
    assert vectors.shape == (4, embeddings.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.05
    assert float(vectors[3] @ vectors[1]) > float(vectors[3] @ vectors[2])


async def test_the_two_vector_spaces_are_kept_apart(seeded: Store) -> None:
    """The multilingual vectors live in their own table: embedding the bank for one encoder
    leaves the other's vectors (and what is still to embed for it) alone."""
    words = WordEncoder()
    assert (await seeded.vectors.index_for(words)).embedded == len(BANK)
    multilingual = embeddings.MultilingualEncoder()
    assert len(await seeded.multilingual_vectors.unembedded(multilingual)) == len(BANK)
    index = (await seeded.multilingual_vectors.index_for(multilingual)).index
    assert index is not None and len(index) == len(BANK)
    assert await seeded.vectors.unembedded(words) == []
    found = await find_matches(
        seeded.search,
        "¿qué alimentos ayudan con la migraña?",
        min_score=MIN_SCORE,
        candidates=10,
        vectors=index,
    )
    assert found.best is not None and "migraine" in found.best.title
