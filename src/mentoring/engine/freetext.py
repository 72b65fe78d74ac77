"""Offline similarity of free-text answers: goals, bios, research focus, "anything else".

Texts are embedded with WordLlama's ``l2_supercat`` model at 256 dimensions (the average of
static token vectors, MIT licence), whose weights and tokenizer ship inside the ``wordllama``
wheel: nothing is downloaded, ever. A text's vector is the L2-normalised sum of its token
vectors (the same direction as WordLlama's own mean pooling, computed as one sparse product
instead of padded batches: about twice as fast). Each distinct text is embedded once per call
and the last few calls are cached, so a cohort scored twice is embedded once.

:func:`similarity_block` turns cosine into a score in [0, 1] like the other components
(:func:`rescale`), with NaN where either side wrote nothing. :func:`nearest_sentences` gives the
reason behind a score: the sentence of each answer that is most like the other's.

Measured on the planted cohort of ``tests/test_freetext.py`` (12 topics x 3 mentees and 3
mentors, different but related words on each side, chance 1 in 12; ``python
tests/test_freetext.py`` reprints the table). Share of mentees whose exact one-to-one assignment
on the similarity alone gives a mentor of their own topic, mean over seeds 0-9 (worst seed in
brackets). ``clean``: one sentence each; ``filler``: one sentence and, half the time, an
off-topic one ("Happy to meet online or in person."); ``two``: two on-topic sentences and, half
the time, an off-topic one.

=====================================================  ==========  ==========  ==========
method                                                 clean       filler      two
=====================================================  ==========  ==========  ==========
wordllama 256, whole-text cosine (**chosen**)          72% (64%)   62% (53%)   94% (86%)
the same, rescaled and clipped as scored               71% (61%)   64% (56%)   94% (86%)
wordllama, best sentence pair (max cosine)             71% (64%)   58% (47%)   79% (72%)
0.5 whole-text + 0.5 best sentence pair                72% (64%)   59% (44%)   85% (78%)
character 3-5 gram TF-IDF (numpy/scipy)                59% (47%)   52% (42%)   86% (75%)
0.7 wordllama + 0.3 character TF-IDF (z-scored)        69% (64%)   64% (56%)   94% (89%)
0.85 wordllama + 0.15 character TF-IDF (z-scored)      74% (64%)   61% (50%)   95% (86%)
wordllama, cohort-IDF-weighted token pooling [1]_      73% (64%)   64% (56%)   98% (89%)
wordllama, rank-SIF token weights [1]_                 72% (64%)   62% (56%)   93% (86%)
word TF-IDF, stop words removed [1]_                   43% (36%)   41% (28%)   76% (72%)
=====================================================  ==========  ==========  ==========

.. [1] measured once with the same planted sets by a throw-away script, not kept in the tests.

Through the real ``mentoring.pipeline.match`` (one ``free_text`` criterion, mentors of capacity
1, every other answer blank), seeds 0-4: ``two`` 96% (89-100%), ``clean`` 72% (64-75%),
``filler`` 63% (56-69%). The mixes and the cohort-IDF pooling are within a few points of plain
cosine and cost more (a second product per block, or embeddings that change with the cohort and
cannot be cached per text), so the plain whole-text cosine is used; the best sentence pair is
kept for reasons only (:func:`nearest_sentences`). One sentence of a few words is the weak case:
a model that reads words in context would do better, but none ships offline in a small wheel.

>>> a = embed_texts(["I need help putting together my first grant application.", ""])
>>> b = embed_texts(["I have written dozens of funding proposals.",
...                  "I am a Toastmasters champion and coach people on delivery."])
>>> a.shape, a.dtype
((2, 256), dtype('float32'))
>>> s = similarity_block(a, b)
>>> bool(s[0, 0] > s[0, 1]), bool(np.isnan(s[1]).all())
(True, True)
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "COSINE_FLOOR",
    "COSINE_STRONG",
    "DIM",
    "Embedder",
    "clean_text",
    "clear_cache",
    "embed_texts",
    "load_embedder",
    "nearest_sentences",
    "prepare_sentences",
    "rescale",
    "similarity_block",
    "split_sentences",
]

DIM = 256
"""Embedding dimension: the 256-d model is the one the ``wordllama`` wheel ships."""

COSINE_FLOOR = 0.10
"""Cosine that scores 0: the median cosine of unrelated answers is about 0.09."""

COSINE_STRONG = 0.50
"""Cosine that scores 1: near-paraphrases ("filmmaking, screenwriting" against "documentary
filmmaking, cinematography") reach 0.55."""

_CONFIG = "l2_supercat"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*[;\n\r\u2022]+\s*")
_CACHED_CALLS = 4
_FEW_TOKENS = 4096


@dataclass(frozen=True, eq=False)
class Embedder:
    """A loaded model: the token vectors and a tokenizer without padding."""

    tokenizer: Any
    """A ``tokenizers.Tokenizer`` (no padding, no truncation)."""
    vectors: np.ndarray
    """``vocabulary x DIM`` float32 token vectors."""
    version: str
    """The installed ``wordllama`` version."""

    @property
    def dim(self) -> int:
        """Length of each embedding."""
        return int(self.vectors.shape[1])


def _model_files(package_dir: Path) -> tuple[Path, Path]:
    return (
        package_dir / "weights" / f"{_CONFIG}_{DIM}.safetensors",
        package_dir / "tokenizers" / f"{_CONFIG}_tokenizer_config.json",
    )


def _wordllama_dir() -> tuple[Path, str]:
    """The installed ``wordllama`` package's folder and version, found without importing it:
    its import takes a sixth of a second and configures the root logger."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "Free-text similarity needs the 'wordllama' package "
            "(pip install 'wordllama>=0.4,<0.5')."
        )
    return Path(spec.origin).parent, importlib.metadata.version("wordllama")


@functools.cache
def load_embedder() -> Embedder:
    """Load the embedding model from the files inside the ``wordllama`` package, once per process.

    Never touches the network: the weights and tokenizer are read straight from the wheel's own
    ``weights/`` and ``tokenizers/`` folders, as ``WordLlama.load()`` reads them, without its
    fallback to a download and without the tokenizer's padding (a third of a second saved on
    every first free-text run of a process).

    Returns
    -------
    Embedder
        The model, cached: later calls return the same object.

    Raises
    ------
    RuntimeError
        If ``wordllama`` is not installed or its wheel lacks the model files.

    Examples
    --------
    >>> load_embedder() is load_embedder(), load_embedder().dim
    (True, 256)
    """
    package_dir, version = _wordllama_dir()
    weights, tokenizer_file = _model_files(package_dir)
    missing = [str(p) for p in (weights, tokenizer_file) if not p.is_file()]
    if missing:
        raise RuntimeError(
            f"The wordllama {version} package has no bundled model file(s) "
            f"{', '.join(missing)}; reinstall 'wordllama>=0.4,<0.5' from its wheel. "
            "Nothing is downloaded at run time."
        )
    from safetensors import safe_open
    from tokenizers import Tokenizer

    try:
        with safe_open(str(weights), framework="np", device="cpu") as stored:
            embedding = stored.get_tensor("embedding.weight")
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    # Both libraries raise their own error types or a bare Exception on a damaged file.
    except Exception as exc:
        raise RuntimeError(f"Could not load the bundled wordllama model: {exc}") from exc
    tokenizer.no_padding()
    tokenizer.no_truncation()
    vectors = np.ascontiguousarray(embedding, dtype=np.float32)
    return Embedder(tokenizer=tokenizer, vectors=vectors, version=version)


def clean_text(text: object) -> str:
    """Collapse whitespace; ``""`` for a blank answer, None or NaN.

    Examples
    --------
    >>> clean_text("  Grant\\n writing "), clean_text(None), clean_text(float("nan"))
    ('Grant writing', '', '')
    """
    if not isinstance(text, str):
        return ""
    # str.split() splits on exactly the characters r"\s" matches, five times faster.
    return " ".join(text.split())


@functools.lru_cache(maxsize=_CACHED_CALLS)
def _embed_distinct(texts: tuple[str, ...]) -> np.ndarray:
    """Unit rows for distinct non-blank texts (cached: a cohort scored twice is embedded once)."""
    vectors = _embed(texts)
    vectors.setflags(write=False)
    return vectors


def _embed(texts: Sequence[str]) -> np.ndarray:
    """Unit rows for non-blank cleaned texts (:func:`clean_text`): the normalised sum of each
    text's token vectors."""
    embedder = load_embedder()
    flat, lengths = _token_ids(embedder, texts)
    if len(flat) <= _FEW_TOKENS:
        # A few sentences (reasons): gather and sum; a sparse product costs more to set up.
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        gathered = embedder.vectors[flat]
        vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        has = lengths > 0
        if has.any():
            vectors[has] = np.add.reduceat(gathered, starts[has], axis=0)
    else:
        rows = np.repeat(np.arange(len(texts)), lengths)
        counts = sp.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), (rows, flat)),
            shape=(len(texts), embedder.vectors.shape[0]),
        )
        vectors = np.asarray(counts @ embedder.vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    vectors[norms[:, 0] == 0] = 0.0
    return vectors


_WORD_START = "\u2581"
_WORD_TOKENS: dict[str, tuple[int, ...]] = {}
_WORD_CACHE = 500_000
_WORD_LOCK = threading.Lock()


def _token_ids(embedder: Embedder, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The token ids of cleaned texts, one after another, and how many each text has.

    The tokenizer marks each word's start with ``\u2581`` and none of its merges reaches over
    one (no token holds a ``\u2581`` after its first character but runs of them, which only
    repeated spaces make): a text's tokens are its words' tokens in turn, and each distinct word
    is tokenized once, cached across calls. A text that holds a ``\u2581`` of its own is
    tokenized whole. ``test_freetext`` checks the ids against the tokenizer's own.
    """
    words = [(text,) if _WORD_START in text else text.split() for text in texts]
    # Each word's place among this call's distinct words, then their tokens gathered in turn.
    place: dict[str, int] = {}
    at = place.setdefault
    count = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    seen = np.fromiter(
        (at(w, len(place)) for ws in words for w in ws), dtype=np.int64, count=int(count.sum())
    )
    with _WORD_LOCK:
        known = _WORD_TOKENS
        if len(known) + len(place) > _WORD_CACHE:
            known.clear()
        new = [w for w in place if w not in known]
        if new:
            encoded = embedder.tokenizer.encode_batch_fast(new, add_special_tokens=False)
            found = dict(zip(new, (tuple(e.ids) for e in encoded), strict=True))
            known.update((w, ids) for w, ids in found.items() if _WORD_START not in w)
            tokens = [found[w] if w in found else known[w] for w in place]
        else:
            tokens = [known[w] for w in place]
    size = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    pooled = np.fromiter(chain.from_iterable(tokens), dtype=np.int64, count=int(size.sum()))
    first = np.cumsum(size) - size
    taken = size[seen]
    lengths = np.bincount(
        np.repeat(np.arange(len(words)), count), weights=taken, minlength=len(words)
    ).astype(np.int64)
    flat = pooled[
        np.repeat(first[seen] - (np.cumsum(taken) - taken), taken) + np.arange(taken.sum())
    ]
    return flat, lengths


def embed_texts(texts: Sequence[object]) -> np.ndarray:
    """Embed texts as unit rows, each distinct text once.

    Parameters
    ----------
    texts : sequence of str
        Free-text answers. Blank answers (empty, only whitespace, None or NaN) get a zero row;
        texts that differ only in whitespace are embedded once.

    Returns
    -------
    numpy.ndarray
        ``(len(texts), 256)`` float32, L2-normalised rows (zero rows for blank answers).

    Examples
    --------
    >>> e = embed_texts(["Grant writing", "  Grant   writing ", "", None])
    >>> e.shape, bool(np.allclose(e[0], e[1])), float(np.abs(e[2:]).sum())
    ((4, 256), True, 0.0)
    >>> round(float(np.linalg.norm(e[0])), 4)
    1.0
    >>> embed_texts([]).shape
    (0, 256)
    """
    cleaned = [clean_text(t) for t in texts]
    distinct = tuple(sorted({t for t in cleaned if t}))
    out = np.zeros((len(cleaned), DIM), dtype=np.float32)
    if not distinct:
        return out
    vectors = _embed_distinct(distinct)
    row_of = {t: i for i, t in enumerate(distinct)}
    present = [i for i, t in enumerate(cleaned) if t]
    out[present] = vectors[[row_of[cleaned[i]] for i in present]]
    return out


def clear_cache() -> None:
    """Forget the cached embeddings (they hold members' answers in memory)."""
    _embed_distinct.cache_clear()
    _SENTENCES.clear()
    with _WORD_LOCK:
        _WORD_TOKENS.clear()
    _words.cache_clear()


_SENTENCES: dict[str, tuple[list[str], np.ndarray]] = {}
_SENTENCE_CACHE = 100_000


def _sentences_of(text: object) -> tuple[list[str], np.ndarray]:
    """An answer's sentences and their unit rows, computed once per text (reasons ask often).

    Kept by the text as typed: its new lines end sentences, so two answers that differ only in
    them are split differently.
    """
    key = text if isinstance(text, str) else ""
    found = _SENTENCES.get(key)
    if found is None:
        sentences = split_sentences(key)
        vectors = _embed([clean_text(s) for s in sentences]) if sentences else np.zeros((0, DIM))
        if len(_SENTENCES) >= _SENTENCE_CACHE:
            _SENTENCES.clear()
        found = _SENTENCES[key] = (sentences, vectors)
    return found


def prepare_sentences(texts: Sequence[object]) -> None:
    """Split and embed the sentences of many answers in one batch, for :func:`nearest_sentences`.

    Optional: :func:`nearest_sentences` embeds an answer's sentences on first use anyway, but
    one batch for a whole cohort is several times cheaper than one call per answer.

    Examples
    --------
    >>> prepare_sentences(["I write grants. I live in Ohio.", "", None])
    >>> nearest_sentences("I write grants. I live in Ohio.", "Funding proposals")[0]
    'I write grants.'
    """
    # Split as typed, not as cleaned: cleaning turns the new lines of a list into spaces.
    keys = sorted({t for t in texts if isinstance(t, str)} - set(_SENTENCES))
    if not keys:
        return
    split = [split_sentences(k) for k in keys]
    flat = [clean_text(s) for sentences in split for s in sentences]
    # Answers repeat sentences ("I am happy to help."): each distinct one is embedded once.
    distinct = {s: k for k, s in enumerate(dict.fromkeys(flat))}
    vectors = (
        _embed(list(distinct))[[distinct[s] for s in flat]]
        if flat
        else np.zeros((0, DIM), dtype=np.float32)
    )
    if len(_SENTENCES) + len(keys) > _SENTENCE_CACHE:
        _SENTENCES.clear()
    start = 0
    for key, sentences in zip(keys, split, strict=True):
        _SENTENCES[key] = (sentences, vectors[start : start + len(sentences)])
        start += len(sentences)


def rescale(cosine: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Cosine to a score in [0, 1]: :data:`COSINE_FLOOR` scores 0, :data:`COSINE_STRONG` 1.

    Examples
    --------
    >>> rescale(np.array([-0.2, 0.1, 0.3, 0.9]))
    array([0. , 0. , 0.5, 1. ])
    """
    result = np.subtract(cosine, COSINE_FLOOR, out=out)
    result *= 1.0 / (COSINE_STRONG - COSINE_FLOOR)
    np.clip(result, 0.0, 1.0, out=result)
    return result


def similarity_block(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Similarity in [0, 1] of every row of ``a`` with every row of ``b``.

    Parameters
    ----------
    a, b : numpy.ndarray
        Unit rows from :func:`embed_texts`, shapes ``(n, d)`` and ``(m, d)``.

    Returns
    -------
    numpy.ndarray
        ``(n, m)`` float64 :func:`rescale` of the cosine; NaN where either row is zero (blank).

    Examples
    --------
    >>> a = np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32)
    >>> b = np.array([[0.6, 0.8], [0.3, 0.95394], [1.0, 0.0]], dtype=np.float32)
    >>> similarity_block(a, b).round(2)
    array([[1. , 0.5, 1. ],
           [nan, nan, nan]])
    """
    a32 = np.asarray(a, dtype=np.float32)
    b32 = np.asarray(b, dtype=np.float32)
    scores = rescale(np.asarray(a32 @ b32.T, dtype=np.float64))
    scores[~np.any(a32, axis=1), :] = np.nan
    scores[:, ~np.any(b32, axis=1)] = np.nan
    return scores


def split_sentences(text: object) -> list[str]:
    """Split an answer into sentences and list items (``.``, ``!``, ``?``, ``;``, new lines, bullets).

    Examples
    --------
    >>> split_sentences("I write grants. I live in Ohio!  Cats;dogs\\n")
    ['I write grants.', 'I live in Ohio!', 'Cats', 'dogs']
    >>> split_sentences("   ")
    []
    """
    cleaned = text.strip() if isinstance(text, str) else ""
    return [s.strip() for s in _SENTENCE_END.split(cleaned) if s and s.strip()]


def nearest_sentences(text_a: object, text_b: object) -> tuple[str, str, float]:
    """The sentence of each answer most similar to a sentence of the other, and their score.

    Parameters
    ----------
    text_a, text_b : str
        Two free-text answers, for example a mentee's goals and a mentor's expertise.

    Returns
    -------
    tuple of (str, str, float)
        The sentence of ``text_a``, the sentence of ``text_b`` and their score on the scale of
        :func:`similarity_block`; ``("", "", nan)`` if either answer is blank.

    Examples
    --------
    >>> a, b, score = nearest_sentences(
    ...     "I live in Ohio with my two cats. I need help with my first grant application.",
    ...     "I have mentored before. I have written dozens of funding proposals.")
    >>> a, b, 0 < score <= 1
    ('I need help with my first grant application.', 'I have written dozens of funding proposals.', True)
    >>> nearest_sentences("", "anything")
    ('', '', nan)
    >>> nearest_sentences("I am a SCS2.", "I am a SCS3.")
    ('', '', nan)
    """
    left, left_vectors = _sentences_of(text_a)
    right, right_vectors = _sentences_of(text_b)
    if not left or not right:
        return "", "", math.nan
    cosines = left_vectors @ right_vectors.T
    width = cosines.shape[1]
    # The best pair is almost never a template's: it is tried before all are ranked (argmax
    # takes the first of equals, as the stable ranking does).
    i, j = divmod(int(cosines.argmax()), width)
    if not _templated(left[i], right[j]):
        return left[i], right[j], _scaled(float(cosines[i, j]))
    for flat in np.argsort(-cosines, axis=None, kind="stable")[1:]:
        i, j = divmod(int(flat), width)
        if not _templated(left[i], right[j]):
            return left[i], right[j], _scaled(float(cosines[i, j]))
    return "", "", math.nan


def _scaled(cosine: float) -> float:
    """:func:`rescale` of one cosine."""
    return min(max((cosine - COSINE_FLOOR) / (COSINE_STRONG - COSINE_FLOOR), 0.0), 1.0)


_WORD = re.compile(r"[^\W_]+(?:[-'/][^\W_]+)*")


def _templated(a: str, b: str) -> bool:
    """Two sentences that are one form's template with little filled in ("I am a SCS2." and
    "I am a SCS3."; "I am in the Department of Peace, in the Security profession."): alike
    because of the template, so they explain nothing: at least three words in common, and
    the shorter adds at most two of its own."""
    shorter, longer = sorted((_words(a), _words(b)), key=len)
    known = set(longer)
    shared = sum(word in known for word in shorter)
    return shared >= 3 and len(shorter) - shared <= 2


@functools.lru_cache(maxsize=_SENTENCE_CACHE)
def _words(sentence: str) -> tuple[str, ...]:
    """A sentence's words, case-folded (each mentor's sentences meet several mentees')."""
    return tuple(_WORD.findall(sentence.casefold()))
