"""A MinHash LSH index that answers like datasketch's ``MinHashLSH``, in less memory.

Same bands and rows (datasketch's own optimum for the threshold), same rule: two
signatures are candidates when all the rows of any band are equal. datasketch keeps a
bytes key and a ``set`` per band per article (~10 KB an article at 28 bands); here each
band's rows become one int in a single dict whose value is the article id, or a list
of ids when articles share the band (~3 KB an article).
"""

from __future__ import annotations

import numpy as np
from datasketch.lsh import _optimal_param


class BandIndex:
    """Candidates for near-duplicate MinHash signatures, by banding."""

    def __init__(self, *, threshold: float, num_perm: int) -> None:
        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._buckets: dict[int, str | list[str]] = {}
        self._keys: dict[str, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def _band_keys(self, hashvalues: np.ndarray) -> tuple[int, ...]:
        # 32-bit hash values (the affine32 scheme): a band's rows and its number, one int.
        rows = hashvalues[: self.bands * self.rows].reshape(self.bands, self.rows).tolist()
        keys = []
        for band, values in enumerate(rows):
            key = band
            for value in values:
                key = (key << 32) | value
            keys.append(key)
        return tuple(keys)

    def insert(self, key: str, hashvalues: np.ndarray) -> None:
        if key in self._keys:
            raise ValueError(f"{key!r} is already indexed")
        bands = self._band_keys(hashvalues)
        self._keys[key] = bands
        buckets = self._buckets
        for band in bands:
            held = buckets.get(band)
            if held is None:
                buckets[band] = key
            elif isinstance(held, str):
                buckets[band] = [held, key]
            else:
                held.append(key)

    def remove(self, key: str) -> None:
        buckets = self._buckets
        for band in self._keys.pop(key):
            held = buckets[band]
            if isinstance(held, str):
                del buckets[band]
                continue
            held.remove(key)
            if len(held) == 1:
                buckets[band] = held[0]

    def query(self, hashvalues: np.ndarray) -> set[str]:
        found: set[str] = set()
        for band in self._band_keys(hashvalues):
            held = self._buckets.get(band)
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return found
