"""Similarity of meaning between short texts (focus areas, goals, experience), offline.

The model is wordllama's 256-dimension embedding, whose vectors and tokenizer ship
inside its wheel: it is loaded from the package's own folder with downloads
disabled, lazily, once per process. If it cannot be loaded (the package is
missing or damaged), every function here falls back to word overlap (the cosine
of the texts' meaningful words) and :func:`unavailable_reason` says so, once in
the log and as a sentence the command line and the window can show.

The interface:

* :func:`similarity` ``(a, b) -> float`` in [-1, 1] (0 for an empty text);
* :func:`similarity_matrix` ``(texts_a, texts_b) -> ndarray`` (len(a) x len(b));
* :func:`embed` ``(texts) -> ndarray`` of unit rows (zero rows for empty texts),
  or ``None`` without the model (callers then leave meaning out);
* :func:`best_matches` ``(values, vocabulary) -> [(value, best, score)]``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_UNAVAILABLE = "Matching uses word overlap only: the meaning model could not be loaded"
DIMENSIONS = 256
POOLED_FROM = 256  # texts from which embed() sums token vectors itself (see _pooled)

_STOP_TEXT = """a about above after again all also am an and any are as at be been before being below between both but
    by
    can could did do does doing down during each few for from further had has have having he her here hers him his
    how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you
    your yours want wish would like get make become take learn develop improve understand years year next"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_]+")

_lock = threading.Lock()
_state: dict[str, Any] = {"model": None, "tried": False, "reason": None}


def _stem(word: str) -> str:
    """A deliberately small stemmer: plurals only ("services" = "service", "studies" = "study")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, str]]:
    """(stem, word) for each meaningful word of ``text`` (the word-overlap measure's units)."""
    return [unit for word in _WORD.findall(text.casefold()) if (unit := _unit(word)) is not None]


@functools.lru_cache(maxsize=200_000)  # words repeat across thousands of answers
def _unit(word: str) -> tuple[str, str] | None:
    if len(word) < 2 or word in STOP_WORDS or word.isdigit():
        return None
    return _stem(word), word


def _load_model() -> Any:
    """wordllama from its own package folder, never from the network."""
    import wordllama
    from wordllama import WordLlama

    folder = Path(wordllama.__file__).resolve().parent
    return WordLlama.load(cache_dir=folder, disable_download=True)


def model() -> Any | None:
    """The loaded model, or None (and the reason logged once) if it cannot be loaded."""
    if _state["tried"]:
        return _state["model"]
    with _lock:
        if not _state["tried"]:
            try:
                _state["model"] = _load_model()
            except (ImportError, OSError, ValueError, RuntimeError, KeyError) as exc:
                # Tolerated: matching keeps its word-overlap measure; the reason is shown to the user once.
                _state["reason"] = MODEL_UNAVAILABLE
                log.warning("%s (%s)", MODEL_UNAVAILABLE, type(exc).__name__)
            _state["tried"] = True
    return _state["model"]


def available() -> bool:
    """True when similarity of meaning comes from the model (loads it if not yet tried)."""
    return model() is not None


def unavailable_reason() -> str | None:
    """The sentence to show when the model could not be loaded, else None (loads it if not yet tried)."""
    model()
    return _state["reason"]


def reset_for_tests() -> None:
    """Forget the loaded model so that the next call loads it again (tests of the fallback)."""
    with _lock:
        _state.update(model=None, tried=False, reason=None)


def embed(texts: Sequence[str], *, many: bool = False) -> np.ndarray | None:
    """Unit vectors (float32, one row per text; a zero row for an empty text), or None without the model.

    Each distinct text is embedded once. ``many``: thousands of texts are expected and scipy is loaded
    anyway (matching), so their token vectors are summed in one sparse product (see :func:`_pooled`).
    """
    m = model()
    if m is None:
        return None
    clean = [" ".join(t.split()) for t in texts]
    distinct = list(dict.fromkeys(t for t in clean if t))
    out = np.zeros((len(clean), DIMENSIONS), dtype=np.float32)
    if not distinct:
        return out
    with _lock:  # one list of texts at a time: _pooled switches the tokenizer's padding off while it works
        vectors = _pooled(m, distinct) if many else np.asarray(m.embed(distinct, norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    row = {t: k for k, t in enumerate(distinct)}
    for i, t in enumerate(clean):
        if t:
            out[i] = vectors[row[t]]
    return out


def _pooled(m: Any, texts: list[str]) -> np.ndarray:
    """The mean of each text's token vectors: what the model's own ``embed`` gives, in one pass.

    The model pads each batch of 64 texts to its longest and averages through
    the padding; here the tokens of thousands of texts are summed in one sparse
    product (texts x vocabulary counts, times the table), about twice as quick.
    A few hundred texts (and a model without that table) go to the model itself.
    """
    table, tokenizer = getattr(m, "embedding", None), getattr(m, "tokenizer", None)
    usable = isinstance(table, np.ndarray) and hasattr(tokenizer, "no_padding") and not getattr(m, "binary", False)
    if len(texts) < POOLED_FROM or not usable:
        return np.asarray(m.embed(texts, norm=False), dtype=np.float32)
    from scipy import sparse

    with _unpadded(tokenizer):
        ids = [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
    np.clip(flat, 0, table.shape[0] - 1, out=flat)
    ones = np.ones(len(flat), dtype=np.float32)
    counts = sparse.csr_matrix((ones, flat, np.concatenate(([0], np.cumsum(lengths)))), shape=(len(texts), len(table)))
    sums = np.asarray(counts @ table, dtype=np.float32)
    return sums / np.maximum(lengths, 1)[:, None].astype(np.float32)


@contextmanager
def _unpadded(tokenizer: Any) -> Iterator[Any]:
    """The model's tokenizer with its padding off for the block (a copy would cost 0.15 s), then as it was."""
    padding = tokenizer.padding
    tokenizer.no_padding()
    try:
        yield tokenizer
    finally:
        if padding is not None:
            tokenizer.enable_padding(**padding)


def _bag(text: str) -> dict[str, float]:
    counts = Counter(stem for stem, _ in tokens(text))
    norm = math.sqrt(sum(n * n for n in counts.values()))
    return {k: n / norm for k, n in counts.items()} if norm else {}


def _overlap_matrix(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    bags_b = [_bag(t) for t in texts_b]
    out = np.zeros((len(texts_a), len(texts_b)), dtype=np.float32)
    for i, a in enumerate(texts_a):
        bag_a = _bag(a)
        for j, bag_b in enumerate(bags_b):
            out[i, j] = sum(v * bag_b[k] for k, v in bag_a.items() if k in bag_b)
    return out


def similarity_matrix(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    """Cosine similarity of meaning of every text of ``texts_a`` with every one of ``texts_b``.

    Without the model: the cosine of their meaningful words (0 when they share none).
    """
    ea = embed(texts_a)
    if ea is None:
        return _overlap_matrix(texts_a, texts_b)
    eb = embed(texts_b)
    return np.clip(ea @ eb.T, -1.0, 1.0)


def similarity(a: str, b: str) -> float:
    """Similarity of meaning of two texts (1.0 for the same meaning, about 0 for unrelated ones)."""
    return float(similarity_matrix([a], [b])[0, 0])


def best_matches(values: Sequence[str], vocabulary: Sequence[str]) -> list[tuple[str, str | None, float]]:
    """For each value, the vocabulary entry closest in meaning and its similarity (None, 0.0 if none)."""
    if not values:
        return []
    if not vocabulary:
        return [(v, None, 0.0) for v in values]
    sims = similarity_matrix(values, vocabulary)
    out: list[tuple[str, str | None, float]] = []
    for i, value in enumerate(values):
        k = int(np.argmax(sims[i]))
        score = float(sims[i, k])
        out.append((value, vocabulary[k], score) if score > 0 else (value, None, 0.0))
    return out
