"""Settings: secrets only defaulted in dev mode, word lists merged, limits checked early."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from wirestream.comments.settings import DEV_READER_SECRET, CommentsSettings


def test_reader_secret_has_a_default_in_dev_mode_only() -> None:
    assert CommentsSettings(dev_mode=True).reader_secret_value() == DEV_READER_SECRET
    assert CommentsSettings(dev_mode=False).reader_secret_value() is None
    assert CommentsSettings(reader_secret="s3cret").reader_secret_value() == "s3cret"


def test_reader_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_READER_SECRET", "from-env")
    monkeypatch.setenv("WIRESTREAM_BANNED_WORDS", '["a", "b"]')
    settings = CommentsSettings()
    assert settings.reader_secret_value() == "from-env"
    assert "from-env" not in repr(settings)
    assert settings.banned_words == ["a", "b"]


def test_moderation_config_merges_lists(tmp_path: Path) -> None:
    banned = tmp_path / "banned.txt"
    banned.write_text("# newsroom list\nحمار\nscum  # en\n", encoding="utf-8")
    config = CommentsSettings(banned_words=["scum", "troll"], banned_words_file=banned,
                              suspect_words=[], max_body_chars=800,
                              new_reader_threshold=0).moderation_config()
    assert config.banned_words == ("scum", "troll", "حمار")
    assert config.suspect_words == ()
    assert (config.max_length, config.new_reader_threshold) == (800, 0)
    assert CommentsSettings().moderation_config().suspect_words  # built-in examples


@pytest.mark.parametrize("field", ["rate_comment_reader", "rate_action_ip"])
def test_a_malformed_rate_fails_at_start_up(field: str) -> None:
    with pytest.raises(ValidationError):
        CommentsSettings(**{field: "lots per day"})
