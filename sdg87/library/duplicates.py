"""Near-duplicate detection: word shingles → MinHash signatures → LSH buckets, plus
normalised title similarity. Pure (numpy, no ORM).

- A document's words (case and accents folded) form overlapping 4-word shingles; each shingle
  is hashed to 32 bits.
- A MinHash signature keeps, for each of ``PERMUTATIONS`` hash functions (multiply-shift
  hashing with fixed seeds, so signatures are stable across processes and can be stored), the
  smallest hash over the shingles. The share of equal positions in two signatures estimates
  the Jaccard similarity of the two shingle sets.
- Locality-sensitive hashing cuts the signature into ``BANDS`` bands of ``ROWS`` rows; two
  documents that share one band's bucket are candidates. With 24 × 5 a pair at Jaccard 0.7 is a
  candidate 99 % of the time, one at 0.3 about 6 % — storing the buckets lets a new
  document be checked against thousands without rescanning them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from sdg87.library.ingest import fold

SHINGLE_WORDS = 4
BANDS = 24
ROWS = 5
PERMUTATIONS = BANDS * ROWS
# Above this estimated Jaccard similarity two texts are flagged as likely duplicates.
DUPLICATE_THRESHOLD = 0.7
# Titles at least this similar (and naming the same numbers) are flagged too.
TITLE_THRESHOLD = 0.92
# Texts shorter than this many words are compared by title only (too few shingles).
MIN_WORDS = 12

_SEED = np.random.default_rng(87).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_MULTIPLIERS = _SEED[0] | np.uint64(1)  # odd multipliers
_OFFSETS = _SEED[1]
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
_MAX_UINT32 = np.uint32(0xFFFFFFFF)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def shingle_hashes(text: str, *, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct 32-bit hashes of the text's ``size``-word shingles (uint64 array)."""
    return shingle_hashes_of(words(text), size=size)


def shingle_hashes_of(tokens: list[str], *, size: int = SHINGLE_WORDS) -> np.ndarray:
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    crc = {token: zlib.crc32(token.encode("utf-8")) for token in set(tokens)}
    codes = np.fromiter((crc[token] for token in tokens), dtype=np.uint64, count=len(tokens))
    if len(codes) < size:
        size = len(codes)
    combined = np.zeros(len(codes) - size + 1, dtype=np.uint64)
    for offset in range(size):
        # a polynomial combination; uint64 arithmetic wraps, which is what we want
        combined = combined * np.uint64(1_000_003) + codes[offset : len(codes) - size + 1 + offset]
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (``PERMUTATIONS`` uint32 values) of a set of shingle hashes."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, _MAX_UINT32, dtype=np.uint32)
    signature = np.empty(PERMUTATIONS, dtype=np.uint32)
    chunk = 4096
    for row in range(PERMUTATIONS):
        best = _MAX_UINT32
        for start in range(0, hashes.size, chunk):
            part = hashes[start : start + chunk]
            permuted = (part * _MULTIPLIERS[row] + _OFFSETS[row]) >> np.uint64(32)
            best = min(best, np.uint32(permuted.min()))
        signature[row] = best
    return signature


def minhash_fast(hashes: np.ndarray) -> np.ndarray:
    """``minhash`` computed as one matrix (faster for all but huge documents)."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, _MAX_UINT32, dtype=np.uint32)
    if hashes.size > 20_000:
        return minhash(hashes)
    permuted = (np.outer(_MULTIPLIERS, hashes) + _OFFSETS[:, None]) >> np.uint64(32)
    return permuted.min(axis=1).astype(np.uint32)


@dataclass(frozen=True)
class Fingerprint:
    """What is stored per resource to find its near-duplicates later."""

    signature: bytes  # PERMUTATIONS little-endian uint32
    bands: tuple[int, ...]  # one bucket per band (signed 63-bit, for a BigIntegerField)
    word_count: int
    title_key: str


def fingerprint(*, title: str, text: str) -> Fingerprint:
    tokens = words(text)
    signature = minhash_fast(shingle_hashes_of(tokens)) if len(tokens) >= MIN_WORDS else None
    return Fingerprint(
        signature=signature.astype("<u4").tobytes() if signature is not None else b"",
        bands=band_buckets(signature) if signature is not None else (),
        word_count=len(tokens),
        title_key=title_key(title),
    )


def band_buckets(signature: np.ndarray) -> tuple[int, ...]:
    buckets = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(rows, digest_size=8, person=b"sdg87lsh").digest()
        buckets.append(int.from_bytes(digest, "little") >> 1)  # fits a signed 64-bit column
    return tuple(buckets)


def estimated_jaccard(first: bytes, second: bytes) -> float:
    """Share of equal MinHash positions (0 when either text had no signature)."""
    if not first or not second or len(first) != len(second):
        return 0.0
    left = np.frombuffer(first, dtype="<u4")
    right = np.frombuffer(second, dtype="<u4")
    return float(np.count_nonzero(left == right)) / len(left)


def title_key(title: str) -> str:
    """The title folded: lower case, no accents, punctuation and spaces collapsed."""
    return " ".join(words(title))[:255]


def title_similarity(first: str, second: str) -> float:
    """How alike two titles are (0–1) once folded; 0 when they name different numbers
    ("2019 Findings…" is not "2020 Findings…", "No. 29" is not "No. 105")."""
    left, right = title_key(first), title_key(second)
    if not left or not right:
        return 0.0
    if sorted(_NUMBER.findall(left)) != sorted(_NUMBER.findall(right)):
        return 0.0
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


@dataclass(frozen=True)
class DuplicateVerdict:
    similarity: float
    method: str  # "minhash" or "title"


def duplicate_verdict(
    *,
    first: Fingerprint,
    second: Fingerprint,
    first_title: str,
    second_title: str,
    first_year: int | None = None,
    second_year: int | None = None,
) -> DuplicateVerdict | None:
    """Whether two documents are likely the same work, and how that was judged."""
    jaccard = estimated_jaccard(first.signature, second.signature)
    if jaccard >= DUPLICATE_THRESHOLD:
        return DuplicateVerdict(round(jaccard, 3), "minhash")
    years_agree = first_year is None or second_year is None or first_year == second_year
    if years_agree:
        # two texts that are clearly different are not duplicates whatever their titles say
        both_have_text = bool(first.signature) and bool(second.signature)
        if both_have_text and jaccard < 0.3:
            return None
        similarity = title_similarity(first_title, second_title)
        if similarity >= TITLE_THRESHOLD:
            return DuplicateVerdict(round(similarity, 3), "title")
    return None
