"""``wirestream dev``: the whole platform on embedded defaults, one process per service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from wirestream.common.redis_server import LocalRedis, free_port

SERVICES = ("ingest", "enrich", "publish", "comments")
DEFAULT_PORTS = {"publish": 8000, "ingest": 8001, "enrich": 8002, "comments": 8003}
DEV_ADMIN_TOKEN = "dev-admin-token"


@dataclass
class Platform:
    """Four service processes (and a Redis when none is configured), supervised."""

    data_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    redis_url: str | None = None
    host: str = "127.0.0.1"
    extra_env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False
    redis: LocalRedis | None = None
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def env_for(self, service: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "WIRESTREAM_REDIS_URL": self.redis_url or "",
            "WIRESTREAM_DATA_DIR": str(self.data_dir),
            "WIRESTREAM_HOST": self.host,
            "WIRESTREAM_PORT": str(self.ports[service]),
            "WIRESTREAM_DEV_MODE": "true",
            "WIRESTREAM_SITE_URL": self.url("publish"),
            "WIRESTREAM_COMMENTS_PUBLIC_URL": self.url("comments"),
            "WIRESTREAM_SITE_ORIGINS": f'["{self.url("publish")}"]',
        })
        env.setdefault("WIRESTREAM_ADMIN_TOKEN", DEV_ADMIN_TOKEN)
        env.update(self.extra_env)
        return env

    def start_redis(self) -> None:
        if self.redis_url:
            return
        port = int(os.environ.get("WIRESTREAM_DEV_REDIS_PORT", "0")) or free_port()
        self.redis = LocalRedis(directory=self.data_dir / "redis", port=port).start()
        self.redis_url = self.redis.url
        # So `wirestream deadletter ...` finds this Redis without being told.
        (self.data_dir / "redis-url").write_text(self.redis_url)

    def start(self, service: str) -> None:
        out = subprocess.DEVNULL if self.quiet else None
        log = open(self.data_dir / f"{service}.log", "ab")
        self.procs[service] = subprocess.Popen(
            [sys.executable, "-m", f"wirestream.{service}"], env=self.env_for(service),
            stdout=out, stderr=log if self.quiet else None,
        )

    def stop(self, service: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        proc = self.procs.pop(service, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def wait_ready(self, timeout: float = 120) -> None:
        # Generous: enrich loads its language models, and a loaded 2-core CI box is slow.
        deadline = time.monotonic() + timeout
        for service in SERVICES:
            while True:
                proc = self.procs.get(service)
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"{service} exited with {proc.returncode}")
                try:
                    with urllib.request.urlopen(self.url(service) + "/ready", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{service} not ready after {timeout}s")
                time.sleep(0.2)

    def up(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.start_redis()
        for service in SERVICES:
            self.start(service)
        self.wait_ready()

    def down(self) -> None:
        for service in list(self.procs):
            self.stop(service)
        if self.redis:
            self.redis.stop()


def run(args: object) -> int:
    data_dir = Path(os.environ.get("WIRESTREAM_DATA_DIR", ".wirestream")).resolve()
    ports = dict(DEFAULT_PORTS)
    for service in SERVICES:
        value = getattr(args, f"{service}_port", None)
        if value:
            ports[service] = int(value)
    platform = Platform(data_dir=data_dir, ports=ports,
                        redis_url=os.environ.get("WIRESTREAM_REDIS_URL") or None)
    stopping = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        platform.up()
        print("\nWirestream is running:")
        print(f"  site (publish)  {platform.url('publish')}/")
        print(f"  ingest          {platform.url('ingest')}/v1/wire/{{agency}}")
        print(f"  enrich          {platform.url('enrich')}/health")
        print(f"  comments        {platform.url('comments')}/v1/articles/{{id}}/comments")
        print(f"  redis           {platform.redis_url}")
        print(f"  data            {data_dir}")
        print("Try: wirestream agency add demo && wirestream send FILE --agency demo\n", flush=True)
        while not stopping:
            for service, proc in list(platform.procs.items()):
                if proc.poll() is not None and not stopping:
                    print(f"{service} exited ({proc.returncode}); restarting", flush=True)
                    platform.start(service)
            time.sleep(0.5)
    finally:
        platform.down()
    return 0
