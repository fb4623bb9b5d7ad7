"""`askdoc eval`: measure question matching on a bank and labelled queries, the way the bot
matches, next to a plain FTS5 bm25 baseline over the same bank.

The bank is imported into a fresh temporary database through the bot's own import code, and
every query goes through `matching.find_matches` with the configured settings, on the same
leading `MATCH_CHARS` characters the patient handler reads.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import embeddings, matching
from bot.bank_files import BankFileError, read_jsonl
from bot.config import Settings
from bot.embeddings import VectorSearch
from bot.evaluation_index import EvaluationIndex
from bot.progress import Progress, count_lines, embed_with_progress
from bot.store import Store
from bot.store.vectors import SIGNS_FROM_ROWS
from bot.terms import STOPWORDS
from bot.written_language import is_english

RANKED = 10
OVERALL = "overall"
# Thresholds the report's score curve is drawn at.
CURVE = tuple(round(0.30 + 0.05 * step, 2) for step in range(13))

_BASELINE_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Query:
    """One labelled query: `expected` empty means nothing in the bank answers it."""

    qid: str
    track: str
    text: str
    expected: frozenset[str]
    # Bank questions that look like this one but answer another (hard negatives).
    decoys: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a matcher did with one query."""

    query: Query
    ranked: tuple[str, ...]
    scores: tuple[float, ...]
    matched: bool
    milliseconds: float
    # What the bot does: "match" (shows the best), "unsure" (asks "Is this your question?"
    # with `choices` as buttons) or "no_match" (sends the question to doctors).
    decision: str = ""
    choices: tuple[str, ...] = ()
    # The best hit's similarity and margin before calibration (see matching.MatchResult).
    level: float = 0.0
    margin: float = 0.0

    @property
    def resolved_in_one_tap(self) -> bool:
        """The patient has the right answer at once, or one tap away among the choices."""
        if self.decision == "match":
            return self.top_right
        return self.decision == "unsure" and bool(self.query.expected.intersection(self.choices))

    @property
    def answerable(self) -> bool:
        return bool(self.query.expected)

    @property
    def rank(self) -> int | None:
        """1-based position of the first right id in the ranking, if any."""
        for position, source_id in enumerate(self.ranked, start=1):
            if source_id in self.query.expected:
                return position
        return None

    @property
    def top_right(self) -> bool:
        return self.rank == 1


@dataclass(slots=True)
class Metrics:
    """The project's matching metrics over a set of outcomes."""

    answerable: int = 0
    null: int = 0
    top1: float = 0.0
    recall3: float = 0.0
    mrr10: float = 0.0
    answered_right: float = 0.0
    declined_right: float = 0.0
    shown: int = 0
    precision: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    # Answerable queries resolved in one tap (see Outcome); matches whose top hit is wrong, and
    # questions sent to doctors, over all queries.
    one_tap: float = 0.0
    wrong_shown: float = 0.0
    doctor_load: float = 0.0
    # Queries with a look-alike in the bank whose top hit is that look-alike.
    decoy_first: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def _share(part: float, whole: int) -> float:
    return part / whole if whole else 0.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def measure(
    outcomes: Sequence[Outcome], decided: Callable[[Outcome], bool] | None = None
) -> Metrics:
    """Metrics over outcomes; `decided` overrides whether a query counts as shown a match."""
    shows = decided or (lambda outcome: outcome.matched)
    answerable = [outcome for outcome in outcomes if outcome.answerable]
    null = [outcome for outcome in outcomes if not outcome.answerable]
    ranks = [outcome.rank for outcome in answerable]
    shown = [outcome for outcome in outcomes if shows(outcome)]
    shown_right = sum(1 for outcome in shown if outcome.top_right)
    latencies = [outcome.milliseconds for outcome in outcomes]
    with_decoys = [outcome for outcome in outcomes if outcome.query.decoys]
    return Metrics(
        answerable=len(answerable),
        null=len(null),
        top1=_share(sum(1 for rank in ranks if rank == 1), len(answerable)),
        recall3=_share(sum(1 for rank in ranks if rank is not None and rank <= 3), len(answerable)),
        mrr10=_share(sum(1 / rank for rank in ranks if rank is not None), len(answerable)),
        answered_right=_share(shown_right, len(answerable)),
        declined_right=_share(sum(1 for outcome in null if not shows(outcome)), len(null)),
        shown=len(shown),
        precision=_share(shown_right, len(shown)),
        p50=percentile(latencies, 0.50),
        p99=percentile(latencies, 0.99),
        one_tap=_share(sum(1 for o in answerable if o.resolved_in_one_tap), len(answerable)),
        wrong_shown=_share(sum(1 for o in shown if not o.top_right), len(outcomes)),
        doctor_load=_share(sum(1 for o in outcomes if o.decision == "no_match"), len(outcomes)),
        decoy_first=_share(
            sum(1 for o in with_decoys if o.ranked[:1] and o.ranked[0] in o.query.decoys),
            len(with_decoys),
        ),
    )


def read_queries(path: Path) -> list[Query]:
    """Labelled queries: `{qid, track, query, expected_ids}` per line."""
    queries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BankFileError(path, None, f"cannot be read: {exc}.") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BankFileError(path, f"line {number}", f"not valid JSON ({exc.msg}).") from exc
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            raise BankFileError(path, f"line {number}", "expected an object with a query text.")
        expected = item.get("expected_ids") or []
        if not isinstance(expected, list):
            raise BankFileError(path, f"line {number}.expected_ids", "expected a list of ids.")
        decoys = item.get("decoy_ids") or []
        if not isinstance(decoys, list):
            raise BankFileError(path, f"line {number}.decoy_ids", "expected a list of ids.")
        queries.append(
            Query(
                qid=str(item.get("qid", number)),
                track=str(item.get("track") or "default"),
                text=item["query"],
                expected=frozenset(str(one) for one in expected),
                decoys=frozenset(str(one) for one in decoys),
            )
        )
    return queries


def baseline_expression(text: str) -> str:
    """The baseline's FTS5 query: the text's words minus stopwords, OR-ed (porter stems them)."""
    words: dict[str, None] = {}
    for word in _BASELINE_WORD.findall(text.lower()):
        if word not in STOPWORDS:
            words.setdefault(word, None)
    return " OR ".join(f'"{word}"' for word in words)


async def _run_ours(
    store: Store,
    vectors: tuple[VectorSearch | None, VectorSearch | None],
    queries: Sequence[Query],
    names: dict[int, str],
    settings: Settings,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    progress = Progress("matching the queries", len(queries), units="queries")
    with progress:
        for query in queries:
            outcomes.append(await _match_one(store, vectors, query, names, settings))
            progress.advance(1)
    return outcomes


async def _match_one(
    store: Store,
    vectors: tuple[VectorSearch | None, VectorSearch | None],
    query: Query,
    names: dict[int, str],
    settings: Settings,
) -> Outcome:
    """One query matched as the bot would: English vectors, or for a query in another language
    the multilingual ones (`vectors` holds both)."""
    started = time.perf_counter()
    chosen, space = matching.space_for(
        query.text, *vectors, unsure_from=settings.matching.unsure_from
    )
    result = await matching.find_matches(
        store.search,
        query.text[: matching.MATCH_CHARS],
        min_score=settings.matching.min_score,
        candidates=settings.matching.candidates,
        vectors=chosen,
        space=space,
        limit=RANKED,
    )
    # Null-answer bank items are matching targets: they count among the choices too.
    choices = result.choices_among(answered_only=False) if result.is_unsure else ()
    decision = "match" if result.is_match else "unsure" if choices else "no_match"
    return Outcome(
        query=query,
        ranked=tuple(names.get(hit.question_id, "") for hit in result.hits),
        scores=tuple(hit.score for hit in result.hits),
        # Null-answer bank items are matching targets: count them as shown.
        matched=result.is_match,
        milliseconds=(time.perf_counter() - started) * 1000,
        decision=decision,
        choices=tuple(names.get(hit.question_id, "") for hit in choices),
        level=result.best_level,
        margin=result.best_margin,
    )


async def _run_baseline(
    index: EvaluationIndex, queries: Iterable[Query], names: dict[int, str]
) -> list[Outcome]:
    outcomes = []
    for query in queries:
        started = time.perf_counter()
        expression = baseline_expression(query.text[: matching.MATCH_CHARS])
        found = await index.baseline_search(expression, RANKED) if expression else []
        elapsed = (time.perf_counter() - started) * 1000
        outcomes.append(
            Outcome(
                query=query,
                ranked=tuple(names.get(question_id, "") for question_id, _ in found),
                scores=tuple(-score for _, score in found),
                # No threshold: the baseline answers whenever it finds anything.
                matched=bool(found),
                milliseconds=elapsed,
                decision="match" if found else "no_match",
            )
        )
    return outcomes


def _table(title: str, rows: Sequence[tuple[str, Metrics]]) -> list[str]:
    header = (
        f"{'':<22}{'answ':>5}{'null':>5}{'top1':>7}{'rec@3':>7}{'MRR10':>7}"
        f"{'ans.right':>10}{'decl.right':>11}{'shown':>6}{'prec':>7}{'1-tap':>7}{'wrong':>7}"
        f"{'load':>7}{'decoy1':>7}{'p50ms':>7}{'p99ms':>7}"
    )
    lines = [title, header]
    for name, m in rows:
        lines.append(
            f"{name:<22}{m.answerable:>5}{m.null:>5}{m.top1:>7.3f}{m.recall3:>7.3f}"
            f"{m.mrr10:>7.3f}{m.answered_right:>10.3f}{m.declined_right:>11.3f}{m.shown:>6}"
            f"{m.precision:>7.3f}{m.one_tap:>7.3f}{m.wrong_shown:>7.3f}{m.doctor_load:>7.3f}"
            f"{m.decoy_first:>7.3f}"
            f"{m.p50:>7.1f}{m.p99:>7.1f}"
        )
    return lines


def _by_track(outcomes: Sequence[Outcome]) -> dict[str, list[Outcome]]:
    tracks: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        tracks.setdefault(outcome.query.track, []).append(outcome)
    return {**dict(sorted(tracks.items())), OVERALL: list(outcomes)}


def _at_least(threshold: float) -> Callable[[Outcome], bool]:
    return lambda outcome: bool(outcome.scores) and outcome.scores[0] >= threshold


def threshold_curve(outcomes: Sequence[Outcome], thresholds: Sequence[float] = CURVE) -> list[str]:
    """How answered-right, declined-right and precision move with the threshold."""
    lines = [f"{'min_score':>10}{'ans.right':>10}{'decl.right':>11}{'shown':>6}{'prec':>7}"]
    for threshold in thresholds:
        m = measure(outcomes, _at_least(threshold))
        lines.append(
            f"{threshold:>10.2f}{m.answered_right:>10.3f}{m.declined_right:>11.3f}"
            f"{m.shown:>6}{m.precision:>7.3f}"
        )
    return lines


def report(ours: Sequence[Outcome], baseline: Sequence[Outcome], settings: Settings) -> str:
    """The plain-text report: per track and overall, ours next to the baseline, and a curve."""
    ours_tracks = _by_track(ours)
    base_tracks = _by_track(baseline)
    rows: list[tuple[str, Metrics]] = []
    for track in ours_tracks:
        rows.append((f"{track} ours", measure(ours_tracks[track])))
        rows.append((f"{track} bm25", measure(base_tracks[track])))
    lines = _table(
        f"matching (min_score {settings.matching.min_score:g}, candidates "
        f"{settings.matching.candidates}) vs plain FTS5 bm25 baseline (porter unicode61, "
        "stopwords dropped, no threshold: it always answers when it finds anything)",
        rows,
    )
    lines += [
        "",
        "top1/rec@3/MRR10 on answerable queries; ans.right = shown and right / answerable;",
        "decl.right = not shown / null queries; prec = right / shown; 1-tap = answerable",
        "queries shown the right answer or offered it among the choices (unsure) / answerable;",
        "wrong = shown a wrong answer / all queries; load = sent to doctors / all queries;",
        "decoy1 = ranked a look-alike first / queries that have one in the bank;",
        "latency per query.",
        "",
        "threshold curve (ours, overall):",
        *threshold_curve(ours),
    ]
    return "\n".join(lines)


def write_results(path: Path, outcomes: Iterable[Outcome]) -> None:
    """One JSON line per query: qid, ranked source ids, their scores, the decision, and the best
    hit's similarity and margin before calibration."""
    with path.open("w", encoding="utf-8") as handle:
        for outcome in outcomes:
            line = {
                "qid": outcome.query.qid,
                "ranked": list(outcome.ranked),
                "scores": [round(score, 4) for score in outcome.scores],
                "decision": outcome.decision,
                "choices": list(outcome.choices),
                "level": round(outcome.level, 4),
                "margin": round(outcome.margin, 4),
            }
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


async def _multilingual_vectors(
    settings: Settings, store: Store, queries: Sequence[Query]
) -> VectorSearch | None:
    """The bank in the multilingual space, as the bot has it, when the bot speaks other
    languages and some query is not in English (embedding a bank takes minutes)."""
    if not settings.beyond_english or all(is_english(query.text) for query in queries):
        return None
    encoder = embeddings.load_multilingual_encoder(
        settings.matching.encoder, threads=os.cpu_count() or 1
    )
    if encoder is None:
        return None
    await embed_with_progress(store, encoder, store.multilingual_vectors)
    return await store.multilingual_vectors.load(encoder)


async def evaluate(
    settings: Settings,
    bank_path: Path,
    queries_path: Path,
    encoder: embeddings.Encoder | None = None,
    *,
    signs: bool = False,
) -> tuple[list[Outcome], list[Outcome]]:
    """Our outcomes and the baseline's, over a fresh temporary copy of the bank; `encoder`
    instead of the configured one (a model being trained, say); `signs`: the vectors held as
    a big bank's are (SignIndex), whatever the bank's size."""
    queries = read_queries(queries_path)
    with tempfile.TemporaryDirectory(prefix="askdoc-eval-") as folder:
        store = await Store.open(Path(folder) / "eval.db")
        try:
            with Progress("importing the bank", count_lines(bank_path)) as progress:
                await store.bank.import_entries(read_jsonl(bank_path), on_progress=progress.advance)
            encoder = encoder or embeddings.load_encoder(
                settings.matching.encoder, settings.matching.encoder_threads
            )
            if encoder is not None:
                await embed_with_progress(store, encoder)
            vectors = await store.vectors.load_if(
                encoder, signs_from=0 if signs else SIGNS_FROM_ROWS
            )
            multilingual_vectors = await _multilingual_vectors(settings, store, queries)
            index = EvaluationIndex(store.database)
            await index.build_baseline()
            names = {
                question_id: source_id or ""
                for question_id, source_id in (await index.source_ids()).items()
            }
            ours = await _run_ours(store, (vectors, multilingual_vectors), queries, names, settings)
            baseline = await _run_baseline(index, queries, names)
        finally:
            await store.close()
    return ours, baseline


async def run_evaluation(
    settings: Settings,
    bank_path: Path,
    queries_path: Path,
    results_path: Path | None,
    *,
    signs: bool = False,
) -> str:
    """Run `askdoc eval` and return its report; write per-query results if asked."""
    ours, baseline = await evaluate(settings, bank_path, queries_path, signs=signs)
    if results_path is not None:
        write_results(results_path, ours)
    return report(ours, baseline, settings)
