"""The platform under test: four service processes, a private Redis with an AOF, and
optionally per-run PostgreSQL databases reached through a proxy that can be cut."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from wirestream.cli.dev import SERVICES, Platform
from wirestream.common.redis_server import LocalRedis, free_port

from .proxy import TcpProxy

PG_URL = os.environ.get(
    "WIRESTREAM_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# Fast retries so a scenario settles in seconds; production ratios otherwise.
CHAOS_ENV = {
    "WIRESTREAM_CLAIM_IDLE_MS": "1500",
    "WIRESTREAM_POLLING_INTERVAL_MS": "50",
    "WIRESTREAM_OUTBOX_POLL_S": "0.2",
    "WIRESTREAM_MAX_DELIVERIES": "5",
    "WIRESTREAM_GRACEFUL_TIMEOUT_S": "5",
    "WIRESTREAM_TRIM_INTERVAL_S": "5",
    "WIRESTREAM_LOG_JSON": "true",
    # The load generator posts from one address, far faster than a reader.
    "WIRESTREAM_RATE_COMMENT_READER": "100000/minute",
    "WIRESTREAM_RATE_COMMENT_IP": "100000/minute",
    "WIRESTREAM_RATE_ACTION_IP": "100000/minute",
    "WIRESTREAM_RATE_NEW_READER_IP": "100000/minute",
    "WIRESTREAM_NEW_READER_THRESHOLD": "0",
    # Subscribers are local receivers; retries in seconds, not hours.
    "WIRESTREAM_PUSH_ALLOW_PRIVATE_HOSTS": "true",
    "WIRESTREAM_PUSH_ALLOW_HTTP": "true",
    "WIRESTREAM_PUSH_POLL_S": "0.2",
    "WIRESTREAM_PUSH_TIMEOUT_S": "2",
    "WIRESTREAM_PUSH_CONNECT_TIMEOUT_S": "1",
    "WIRESTREAM_PUSH_BACKOFF_BASE_S": "0.5",
    "WIRESTREAM_PUSH_BACKOFF_CAP_S": "2",
    "WIRESTREAM_PUSH_MAX_ATTEMPTS": "200",
    "WIRESTREAM_PUSH_FACETS_WAIT_S": "5",
}


@dataclass
class ChaosPlatform(Platform):
    """``Platform`` with a database URL per service."""

    database_urls: dict[str, str] = field(default_factory=dict)

    def env_for(self, service: str) -> dict[str, str]:
        env = super().env_for(service)
        if service in self.database_urls:
            env["WIRESTREAM_DATABASE_URL"] = self.database_urls[service]
        return env


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def postgres_available() -> bool:
    try:
        conn = await asyncpg.connect(_plain(PG_URL), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


@dataclass
class Stack:
    root: Path
    postgres: bool = False
    env: dict[str, str] = field(default_factory=dict)  # on top of CHAOS_ENV
    redis: LocalRedis = field(init=False)
    platform: ChaosPlatform = field(init=False)
    proxies: dict[str, TcpProxy] = field(default_factory=dict)  # per service
    databases: list[str] = field(default_factory=list)

    async def up(self) -> None:
        self.redis = LocalRedis(directory=self.root / "redis", appendonly=True).start()
        urls: dict[str, str] = {}
        if self.postgres:
            urls = await self._create_databases()
        for attempt in range(3):
            self.platform = ChaosPlatform(
                data_dir=self.root / "data", redis_url=self.redis.url, quiet=True,
                ports={s: free_port() for s in SERVICES}, extra_env={**CHAOS_ENV, **self.env},
                database_urls=urls)
            await asyncio.to_thread(self.platform.up)
            # A free port can be taken by another process before our service binds it
            # (then "/ready" may even be answered by someone else's server): check
            # that every process is still ours and alive, else start again.
            await asyncio.sleep(1.5)
            if all(p.poll() is None for p in self.platform.procs.values()) or attempt == 2:
                return
            await asyncio.to_thread(self.platform.down)

    async def _create_databases(self) -> dict[str, str]:
        base, _, _ = PG_URL.rpartition("/")
        host_port = base.rsplit("@", 1)[1]
        host, _, port = host_port.partition(":")
        admin = await asyncpg.connect(_plain(PG_URL))
        run = uuid.uuid4().hex[:8]
        urls = {}
        for service in SERVICES:
            proxy = self.proxies[service] = TcpProxy(host, int(port or 5432)).start()
            name = f"ws_chaos_{run}_{service}"
            await admin.execute(f'CREATE DATABASE "{name}"')
            self.databases.append(name)
            urls[service] = f"{base.replace(host_port, f'127.0.0.1:{proxy.port}')}/{name}"
        await admin.close()
        return urls

    async def down(self) -> None:
        if hasattr(self, "platform"):
            await asyncio.to_thread(self.platform.down)
        if hasattr(self, "redis"):
            self.redis.stop()
        for proxy in self.proxies.values():
            proxy.stop()
        if self.databases:
            admin = await asyncpg.connect(_plain(PG_URL))
            for name in self.databases:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()

    def url(self, service: str) -> str:
        return self.platform.url(service)

    # --- faults ------------------------------------------------------------------

    async def kill(self, service: str) -> None:
        await asyncio.to_thread(self.platform.stop, service, signal.SIGKILL, 5)

    async def start(self, service: str) -> None:
        self.platform.start(service)
        await asyncio.to_thread(self.platform.wait_ready, 120)

    async def stop_redis(self) -> None:
        await asyncio.to_thread(self.redis.stop)

    async def start_redis(self, *, empty: bool = False) -> None:
        if empty:  # streams, groups, markers and the AOF all gone
            shutil.rmtree(self.redis.directory, ignore_errors=True)
        await asyncio.to_thread(self.redis.start)

    def healthy(self, service: str) -> bool:
        try:
            with urllib.request.urlopen(self.url(service) + "/health", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def log_tail(self, service: str, lines: int = 20) -> str:
        path = self.platform.data_dir / f"{service}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
