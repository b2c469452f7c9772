"""Database plumbing shared by the services: engines, sessions, and the messaging tables.

Nothing is created at import time: ``create_engine`` and ``session_factory`` are
called from each service's ``create_app``. SQLite (the embedded default) runs in
WAL mode with a busy timeout so readers never block the single writer.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from . import sqlite_inline

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> sa.MetaData:
    """A MetaData with the naming convention every service's tables use."""
    return sa.MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={sqlite_inline.busy_timeout_ms(dbapi_connection)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL mode and a busy timeout, and runs its
    statements on the event loop (see :mod:`wirestream.common.sqlite_inline`)."""
    if url.startswith("sqlite"):
        if url.startswith("sqlite+aiosqlite") and os.environ.get("WIRESTREAM_SQLITE_THREAD") != "1":
            connect_args = dict(kwargs.pop("connect_args", {}))
            connect_args.setdefault("async_creator_fn", sqlite_inline.connect)
            kwargs["connect_args"] = connect_args
        engine = _create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return _create_async_engine(url, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def messaging_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """Add the outbox and inbox tables to a service's metadata and return them.

    * ``outbox``: events committed with the business change that caused them,
      published to Redis by :class:`wirestream.common.outbox.OutboxRelay`.
    * ``inbox``: the event ids a consumer group has already handled, so a
      redelivered event is skipped inside the same transaction.
    """
    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("stream", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("correlation_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("relayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stream_id", sa.String(40), nullable=True),
    )
    sa.Index("ix_outbox_pending", outbox.c.relayed_at, outbox.c.id)
    inbox = sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer_group", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )
    return outbox, inbox
