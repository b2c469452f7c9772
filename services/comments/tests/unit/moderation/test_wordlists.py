"""Word lists: the defaults and the file loader."""

from __future__ import annotations

from pathlib import Path

from wirestream.comments.moderation import (
    DEFAULT_WORDLISTS,
    ModerationConfig,
    WordLists,
    load_wordlist,
    parse_wordlist,
)


def test_defaults_ban_nothing_and_hold_a_few_examples_in_both_languages() -> None:
    assert DEFAULT_WORDLISTS.banned == ()
    assert "idiot" in DEFAULT_WORDLISTS.suspect
    assert "غبي" in DEFAULT_WORDLISTS.suspect
    config = ModerationConfig()
    assert config.banned_words == DEFAULT_WORDLISTS.banned
    assert config.suspect_words == DEFAULT_WORDLISTS.suspect


def test_parse_skips_comments_blanks_and_duplicates() -> None:
    text = "# banned words\n\nass   # English\n  حمار\t\nass\nkill   yourself\n#حقير\n"
    assert parse_wordlist(text) == ("ass", "حمار", "kill yourself")


def test_load_reads_utf8_with_or_without_bom(tmp_path: Path) -> None:
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_text("غبي\nidiot\n", encoding="utf-8")
    bom.write_text("غبي\nidiot\n", encoding="utf-8-sig")
    assert load_wordlist(plain) == load_wordlist(str(bom)) == ("غبي", "idiot")


def test_from_files_keeps_defaults_for_missing_files(tmp_path: Path) -> None:
    banned = tmp_path / "banned.txt"
    banned.write_text("ass\n", encoding="utf-8")
    lists = WordLists.from_files(banned=banned)
    assert lists == WordLists(banned=("ass",), suspect=DEFAULT_WORDLISTS.suspect)
    config = ModerationConfig(banned_words=lists.banned, suspect_words=lists.suspect)
    assert config.banned_words == ("ass",)
