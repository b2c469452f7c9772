"""The push API's request and response bodies (not the rows, not the events)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .matching import DEFAULT_KINDS, Kind

Value = Annotated[str, Field(min_length=1, max_length=200)]
Values = Annotated[list[Value], Field(max_length=100)]
Url = Annotated[str, Field(min_length=8, max_length=2000)]


def _utc(value: datetime) -> datetime:
    # SQLite hands timestamps back naive; they were stored as UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = Annotated[datetime, AfterValidator(_utc)]


class Filters(BaseModel):
    """Empty lists match everything; within a list any value matches."""

    model_config = ConfigDict(extra="forbid")

    event_types: list[Kind] = Field(default_factory=lambda: list(DEFAULT_KINDS), min_length=1)
    tags: Values = []
    iptc: Values = []
    sections: Values = []
    stories: Values = []
    languages: Values = []
    min_urgency: int | None = Field(default=None, ge=1, le=9,
                                    description="IPTC urgency: only items this urgent or more")


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    description: str = Field(default="", max_length=500)
    filters: Filters = Field(default_factory=Filters)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    description: str | None = Field(default=None, max_length=500)
    filters: Filters | None = None
    disabled: bool | None = None


class SubscriptionOut(BaseModel):
    id: str
    url: str
    description: str
    filters: dict[str, Any]
    disabled: bool
    disabled_reason: str | None
    created_at: Timestamp
    updated_at: Timestamp


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_ signing secret; shown only once")
    token: str = Field(description="Bearer token for this subscription's log; shown once")


class DeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id header, the same on every attempt")
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: Timestamp | None
    created_at: Timestamp
    delivered_at: Timestamp | None


class AttemptOut(BaseModel):
    number: int
    started_at: Timestamp
    duration_ms: int
    outcome: str
    status_code: int | None
    error: str | None


class DeliveryDetail(DeliveryOut):
    attempts_log: list[AttemptOut]


class BrowserKeys(BaseModel):
    p256dh: Annotated[str, Field(min_length=80, max_length=100)]
    auth: Annotated[str, Field(min_length=16, max_length=30)]


class Follow(BaseModel):
    tags: Annotated[list[Value], Field(max_length=50)] = []
    stories: Annotated[list[Value], Field(max_length=50)] = []
    breaking: bool = False


class BrowserIn(BaseModel):
    """A browser's ``PushSubscription.toJSON()`` plus what the reader follows."""

    endpoint: Url
    keys: BrowserKeys
    follow: Follow
    languages: Annotated[list[Value], Field(max_length=10)] = []


class BrowserOut(BaseModel):
    id: str
    tags: list[str]
    stories: list[str]
    breaking: bool
    languages: list[str]
