"""Word lists for moderation: the defaults, and loading a list from a text file.

A list file holds one word or short phrase per line; ``#`` starts a comment
(whole-line or trailing) and blank lines are ignored. Entries are kept as
written (folding happens when they are matched), in order, without duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_BANNED_WORDS",
    "DEFAULT_SUSPECT_WORDS",
    "DEFAULT_WORDLISTS",
    "WordLists",
    "load_wordlist",
    "parse_wordlist",
]

# No word is banned out of the box: what a newsroom refuses outright is an
# editorial decision, so the banned list comes from configuration.
DEFAULT_BANNED_WORDS: tuple[str, ...] = ()

# EXAMPLES ONLY, to show the shape of a list in both languages. Each entry
# holds a comment for a moderator's look; none of them rejects anything.
DEFAULT_SUSPECT_WORDS: tuple[str, ...] = (
    "idiot",  # example (en)
    "stupid",  # example (en)
    "scam",  # example (en)
    "غبي",  # example (ar): "stupid"
    "أحمق",  # example (ar): "fool"
    "حقير",  # example (ar): "despicable"
)


@dataclass(frozen=True, slots=True)
class WordLists:
    """A banned list (matches reject) and a suspect list (matches hold)."""

    banned: tuple[str, ...] = DEFAULT_BANNED_WORDS
    suspect: tuple[str, ...] = DEFAULT_SUSPECT_WORDS

    @classmethod
    def from_files(cls, *, banned: Path | None = None, suspect: Path | None = None) -> WordLists:
        """Load either list from a file; a list without a file keeps its default."""
        return cls(
            banned=load_wordlist(banned) if banned else DEFAULT_BANNED_WORDS,
            suspect=load_wordlist(suspect) if suspect else DEFAULT_SUSPECT_WORDS,
        )


DEFAULT_WORDLISTS = WordLists()


def parse_wordlist(text: str) -> tuple[str, ...]:
    """Parse word-list text: one entry per line, ``#`` comments, blanks ignored."""
    entries: dict[str, None] = {}
    for line in text.splitlines():
        entry = " ".join(line.split("#", 1)[0].split())
        if entry:
            entries.setdefault(entry, None)
    return tuple(entries)


def load_wordlist(path: Path | str) -> tuple[str, ...]:
    """Read a UTF-8 word-list file (a leading BOM is tolerated); see :func:`parse_wordlist`."""
    return parse_wordlist(Path(path).read_text(encoding="utf-8-sig"))
