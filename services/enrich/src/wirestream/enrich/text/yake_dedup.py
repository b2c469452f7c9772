"""yake's deduplication of ranked keywords, with its default "seqm" similarity.

yake 0.7.3's "seqm" is not difflib's ratio but a set of quick heuristics
(length ratio, shared characters, shared words, shared trigrams) behind a
pre-filter; both are copied here as they are, so the same keywords survive.
"""

from __future__ import annotations


def _pre_filter(a: str, b: str) -> bool:
    """False when two candidates cannot be similar enough to compare."""
    if a == b:
        return True
    len1, len2 = len(a), len(b)
    longest = max(len1, len2)
    if abs(len1 - len2) > longest * 0.6:
        return False
    if longest > 3:
        if a[0] != b[0] or a[-1] != b[-1]:
            return False
        if min(len1, len2) >= 3 and a[:2].lower() != b[:2].lower():
            return False
    return abs(a.count(" ") - b.count(" ")) <= 1


def _similarity(s1: str, s2: str) -> float:
    if s1 == s2:
        return 1.0
    longest = max(len(s1), len(s2))
    if longest == 0:
        return 0.0
    len_ratio = min(len(s1), len(s2)) / longest
    if len_ratio < 0.3:
        return 0.0
    s1, s2 = s1.lower(), s2.lower()
    chars1, chars2 = set(s1), set(s2)
    char_overlap = len(chars1 & chars2) / len(chars1 | chars2)
    if char_overlap < 0.2:
        return 0.0
    if longest <= 4:
        return char_overlap * len_ratio
    words1, words2 = s1.split(), s2.split()
    if len(words1) > 1 or len(words2) > 1:
        union = set(words1) | set(words2)
        if union:
            word_overlap = len(set(words1) & set(words2)) / len(union)
            if word_overlap > 0.4:
                return word_overlap
    tri1 = {s1[i : i + 3] for i in range(len(s1) - 2)}
    tri2 = {s2[i : i + 3] for i in range(len(s2) - 2)}
    tri_union = tri1 | tri2
    tri_overlap = len(tri1 & tri2) / len(tri_union) if tri_union else 0
    return min(0.3 * len_ratio + 0.2 * char_overlap + 0.5 * tri_overlap, 1.0)


def seqm(a: str, b: str) -> float:
    """yake's "seqm" similarity of two lower-cased candidates, 0 to 1."""
    return _similarity(a, b) if _pre_filter(a, b) else 0.0


def deduplicate(
    ranked: list[tuple[str, str, float]], *, top: int, limit: float
) -> list[tuple[str, float]]:
    """Keep each ``(key, keyword, score)`` unless its key is too similar to one kept before.

    ``ranked`` is best first; ``key`` is the lower-cased keyword yake compares.
    """
    if limit >= 1.0:  # yake then gives the lower-cased keys
        return [(key, h) for key, _, h in ranked[:top]]
    kept: list[tuple[str, str, float]] = []
    for key, kw, h in ranked:
        if all(seqm(key, other) <= limit for other, _, _ in kept):
            kept.append((key, kw, h))
            if len(kept) == top:
                break
    return [(kw, h) for _, kw, h in kept]
