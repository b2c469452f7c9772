"""RFC 9457 problem details for every refusal, and handlers that never leak a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://wirestream.dev/problems/"


class Problem(Exception):
    """A refusal to answer with ``application/problem+json``."""

    def __init__(self, status: int, type_: str, title: str, detail: str = "", *,
                 pointer: str | None = None, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.type = type_
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.type,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        if self.pointer:
            body["errors"] = [{"pointer": self.pointer, "detail": self.detail or self.title}]
        body.update(self.extra)
        return body


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    counter = getattr(request.app.state, "refusals", None) if request else None
    if counter is not None and problem.status < 500:
        counter.labels(str(problem.status), problem.type).inc()
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def _pointer(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return "/" + "/".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer validation errors, HTTP errors and unexpected failures as problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"pointer": _pointer(tuple(e.get("loc", ()))), "detail": e.get("msg", "")}
                  for e in exc.errors()]
        first = errors[0] if errors else {"pointer": "/", "detail": "invalid"}
        problem = Problem(422, "validation-error", "Request validation failed",
                          f"{first['pointer']}: {first['detail']}", errors=errors)
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = Problem(exc.status_code, f"http-{exc.status_code}", str(exc.detail),
                          headers=dict(exc.headers or {}))
        return problem_response(problem, request)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(OSError)
    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The database (or another backing service) is down: nothing was accepted.
        log.warning("backing service unavailable", extra={"error": repr(exc)})
        problem = Problem(503, "service-unavailable", "Temporarily unavailable",
                          "A backing service is unreachable; retry later.",
                          headers={"Retry-After": "5"})
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(Problem(500, "internal-error", "Internal server error"), request)
