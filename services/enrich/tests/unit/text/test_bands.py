"""BandIndex answers exactly as datasketch's MinHashLSH (same bands, same candidates)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from wirestream.enrich.text.bands import BandIndex


def _signatures(n: int, rng: random.Random) -> dict[str, MinHash]:
    vocab = [f"w{i}".encode() for i in range(400)]
    out: dict[str, MinHash] = {}
    base = [rng.sample(vocab, 60) for _ in range(n // 4)]
    for i in range(n):
        words = list(base[i % len(base)])  # families of near-duplicates
        for j in rng.sample(range(60), rng.randrange(0, 45)):
            words[j] = rng.choice(vocab)
        m = MinHash(num_perm=64, scheme="affine32")
        m.update_batch(words)
        out[f"a{i}"] = m
    return out


@pytest.mark.parametrize("threshold", [0.2, 0.5])
def test_candidates_equal_datasketch_through_inserts_and_removals(threshold: float) -> None:
    rng = random.Random(5)
    sigs = _signatures(400, rng)
    reference = MinHashLSH(threshold=threshold, num_perm=64)
    index = BandIndex(threshold=threshold, num_perm=64)
    assert (index.bands, index.rows) == (reference.b, reference.r)
    for key, m in sigs.items():
        reference.insert(key, m)
        index.insert(key, m.hashvalues)
    removed = rng.sample(sorted(sigs), 150)
    for key in removed:
        reference.remove(key)
        index.remove(key)
    assert len(index) == len(sigs) - len(removed)
    shared = 0
    for m in sigs.values():
        expected = set(reference.query(m))
        assert index.query(m.hashvalues) == expected
        shared += len(expected) > 1
    assert shared > 50  # the families really do share bands


def test_a_key_is_indexed_once() -> None:
    index = BandIndex(threshold=0.2, num_perm=64)
    values = np.arange(64, dtype=np.uint32)
    index.insert("a", values)
    with pytest.raises(ValueError):
        index.insert("a", values)
    index.remove("a")
    assert index.query(values) == set() and len(index) == 0
