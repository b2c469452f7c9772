"""The JSON the API reads and writes (never the ORM rows or bus events themselves)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, field_validator

from ..actions import ReactionKind, ReportReason
from ..text import clean_text

# Generous on purpose: moderation refuses over-long text with its own reason
# (too-long); this only stops absurd payloads before they are parsed further.
HARD_MAX_BODY = 20_000


def clean_input(value: str) -> str:
    """Drop what nobody types on purpose (control and bidi-override characters, which
    also cannot all be stored) and surrounding space; refuse what is left blank."""
    value = clean_text(value).strip()
    if not value:
        raise ValueError("must not be blank")
    return value


# Text from clients: cleaned as above, then held to the field's max_length.
Text = Annotated[str, AfterValidator(clean_input)]


class CommentIn(BaseModel):
    author: Text | None = Field(default=None, max_length=80)
    body: Text = Field(max_length=HARD_MAX_BODY)
    parent_id: str | None = Field(default=None, max_length=64)


class EditIn(BaseModel):
    body: Text = Field(max_length=HARD_MAX_BODY)


class ReactionIn(BaseModel):
    kind: ReactionKind


class ReportIn(BaseModel):
    reason: ReportReason
    note: Text | None = Field(default=None, max_length=500)


class ReaderIn(BaseModel):
    display_name: Text = Field(max_length=80)


class ReaderOut(BaseModel):
    reader_id: str
    display_name: str
    token: str | None = None
    expires_at: datetime | None = None
    status: str = "active"


class ModerationNote(BaseModel):
    reason: str | None
    explanation: str


class CommentOut(BaseModel):
    comment_id: str
    article_id: str
    parent_id: str | None
    author: str
    body: str
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None = None
    featured: bool = False
    reactions_total: int = 0
    reactions: dict[str, int] = Field(default_factory=dict)
    moderation: ModerationNote | None = None

    @field_validator("created_at", "edited_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


class CommentPage(BaseModel):
    comments: list[CommentOut]
    next_cursor: str | None


class QueueItem(CommentOut):
    author_id: str
    reason: str | None = None
    reports_open: int = 0
    report_reasons: dict[str, int] = Field(default_factory=dict)


class QueuePage(BaseModel):
    comments: list[QueueItem]
    next_cursor: str | None


class DecisionIn(BaseModel):
    reason: Text | None = Field(default=None, max_length=500)


class FeatureIn(BaseModel):
    featured: bool = True


class ReaderStatusIn(BaseModel):
    status: Literal["active", "suspended", "banned"]
    until: AwareDatetime | None = None  # suspensions: when it ends
    reason: Text | None = Field(default=None, max_length=500)


class ArticleSettingsIn(BaseModel):
    mode: Literal["pre", "post", "default"] | None = None
    closed: bool | None = None


class ArticleSettingsOut(BaseModel):
    article_id: str
    mode: Literal["pre", "post"] | None
    premoderated: bool
    closed: bool
