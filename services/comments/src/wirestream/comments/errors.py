"""What the comment rules refuse, independent of HTTP; the API maps each to problem+json."""

from __future__ import annotations

from typing import Any


class CommentsError(Exception):
    """A refusal: ``code`` names it (the problem type), ``status`` is its HTTP status."""

    status = 400
    title = "Request refused"

    def __init__(self, code: str, detail: str = "", *, pointer: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail
        self.pointer = pointer
        self.headers = headers or {}
        self.extra = extra


class Unauthenticated(CommentsError):
    status = 401
    title = "Authentication required"


class Forbidden(CommentsError):
    status = 403
    title = "Not allowed"


class NotFound(CommentsError):
    status = 404
    title = "Not found"


class Conflict(CommentsError):
    status = 409
    title = "Conflict"


class Invalid(CommentsError):
    status = 422
    title = "Invalid request"


class Rejected(Invalid):
    """Moderation refused the text; ``reason`` is the decisive step's code."""

    title = "Comment rejected"

    def __init__(self, reason: str, explanation: str, **extra: Any) -> None:
        super().__init__("comment-rejected", explanation, reason=reason, **extra)


class ArticleNotOpen(NotFound):
    """The article is unknown (not published yet) or no longer live."""

    title = "Article not open for comments"

    def __init__(self, article_id: str) -> None:
        super().__init__("article-not-open", "Unknown, unpublished or closed article.",
                         pointer="/article_id", article_id=article_id)
