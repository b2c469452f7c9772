"""What the outside world sent and what the platform said it accepted: the reference
the reconciliation compares the site, the comments and the subscribers against."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Item:
    uri: str
    number: int
    article_id: str | None = None
    accepted_version: int = 0  # highest version answered with 202
    killed: bool = False  # the highest accepted version was a kill
    uncertain: bool = False  # a send never got an answer: it may or may not have landed
    in_flight: bool = False
    will_be_killed: bool = False


@dataclass(frozen=True)
class PostedComment:
    comment_id: str
    article_id: str
    body: str
    status: str


@dataclass
class Ledger:
    items: dict[str, Item] = field(default_factory=dict)
    comments: list[PostedComment] = field(default_factory=list)
    wire_sent: int = 0  # documents (new items, updates and kills), first attempts
    wire_retries: int = 0
    wire_refused: int = 0  # 4xx answers (never expected from the generator)
    comments_sent: int = 0
    comment_retries: int = 0
    comment_refused: int = 0
    comment_deferred: int = 0  # 404: the article is live but comments has not caught up
    errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[Item]:
        return [i for i in self.items.values() if i.accepted_version and i.article_id]

    def live_expected(self) -> list[Item]:
        return [i for i in self.accepted if not i.killed]

    def killed_expected(self) -> list[Item]:
        return [i for i in self.accepted if i.killed]

    def note(self, message: str) -> None:
        if len(self.errors) < 50:
            self.errors.append(message)
