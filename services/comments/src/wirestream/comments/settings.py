"""Comments settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from limits import parse
from pydantic import Field, HttpUrl, SecretStr, field_validator

from wirestream.common.settings import ServiceSettings

from .moderation import ModerationConfig, load_wordlist
from .moderation.wordlists import DEFAULT_SUSPECT_WORDS

# Known to everyone who reads this file, so accepted in dev mode only.
DEV_READER_SECRET = "wirestream-dev-reader-secret"


class CommentsSettings(ServiceSettings):
    service_name: str = "comments"
    port: int = 8003
    site_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    page_size: int = Field(default=50, ge=1, le=200)
    # First pages are served from memory this long at most (0: never); see pagecache.
    page_cache_s: float = Field(default=1.0, ge=0, le=60)

    # Readers: signed reader tokens, the site's own JWTs, or anonymous with a name.
    reader_secret: SecretStr | None = None
    reader_token_ttl_s: int = Field(default=90 * 24 * 3600, ge=60)
    require_reader_token: bool = False
    jwt_key: SecretStr | None = None  # HMAC secret or PEM public key of the site's login
    jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_name_claim: str = "name"
    # How many reverse proxies in front of us append to X-Forwarded-For (0: trust none).
    forwarded_hops: int = Field(default=0, ge=0, le=5)

    # Staff: the admin token bootstraps the first API keys.
    admin_token: SecretStr | None = None

    # Comment rules.
    edit_window_s: int = Field(default=600, ge=0)
    premoderation: bool = False
    report_hold_threshold: int = Field(default=3, ge=1)
    recent_bodies: int = Field(default=10, ge=0, le=100)
    # Poll results are announced (PollUpdated) at most once per poll per interval.
    poll_announce_s: float = Field(default=1.0, gt=0, le=60)

    # Moderation (see ModerationConfig).
    max_body_chars: int = Field(default=5000, ge=1, le=20_000)
    min_length: int = Field(default=2, ge=0)
    max_links: int = Field(default=2, ge=0)
    new_reader_threshold: int = Field(default=1, ge=0)
    banned_words: list[str] = Field(default_factory=list)
    banned_words_file: Path | None = None
    suspect_words: list[str] | None = None  # None: the built-in examples
    suspect_words_file: Path | None = None
    scorer_url: HttpUrl | None = None
    scorer_timeout: float = Field(default=2.0, gt=0, le=60)
    scorer_threshold: float = Field(default=0.8, ge=0, le=1)

    # Rate limits (moving windows in Redis), in the `limits` notation.
    rate_comment_reader: str = "5/minute"
    rate_comment_ip: str = "20/minute"
    rate_action_ip: str = "120/minute"  # edits, reactions, reports, votes
    rate_new_reader_ip: str = "10/hour"

    @field_validator(
        "rate_comment_reader", "rate_comment_ip", "rate_action_ip", "rate_new_reader_ip"
    )
    @classmethod
    def _valid_rate(cls, value: str) -> str:
        parse(value)  # raises ValueError on nonsense, so a typo fails at start-up
        return value

    def reader_secret_value(self) -> str | None:
        """The reader-token secret; the public dev default only in dev mode."""
        if self.reader_secret is not None:
            return self.reader_secret.get_secret_value()
        return DEV_READER_SECRET if self.dev_mode else None

    def moderation_config(self) -> ModerationConfig:
        banned = [*self.banned_words]
        if self.banned_words_file:
            banned += load_wordlist(self.banned_words_file)
        suspect = list(DEFAULT_SUSPECT_WORDS if self.suspect_words is None else self.suspect_words)
        if self.suspect_words_file:
            suspect += load_wordlist(self.suspect_words_file)
        return ModerationConfig(
            min_length=self.min_length,
            max_length=self.max_body_chars,
            banned_words=tuple(dict.fromkeys(banned)),
            suspect_words=tuple(dict.fromkeys(suspect)),
            max_links=self.max_links,
            new_reader_threshold=self.new_reader_threshold,
            scorer_url=self.scorer_url,
            scorer_timeout=self.scorer_timeout,
            scorer_threshold=self.scorer_threshold,
        )
