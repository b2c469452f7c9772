"""docker-compose.yml and the files it mounts (Prometheus, Grafana, PostgreSQL init)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DATABASES = {f"wirestream_{s}" for s in ("ingest", "enrich", "publish", "comments")}


def compose_command() -> list[str] | None:
    """``docker compose`` (v2 plugin) if it works here, else ``docker-compose``."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.mark.parametrize("profile", [None, "translate"])
def test_compose_config_parses(profile: str | None) -> None:
    cmd = compose_command()
    if cmd is None:
        pytest.skip(
            "neither `docker compose` nor `docker-compose` is installed "
            "(apt-get install docker-compose)"
        )
    args = [*cmd, "-f", str(COMPOSE)] + (["--profile", profile] if profile else [])
    out = subprocess.run([*args, "config"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    services = set(yaml.safe_load(out.stdout)["services"])
    assert {
        "redis",
        "postgres",
        "ingest",
        "enrich",
        "publish",
        "comments",
        "prometheus",
        "grafana",
    } <= services
    if profile == "translate":
        # (Without the profile, compose v1 still lists it and v2 does not.)
        assert "libretranslate" in services


def test_service_is_built_from_the_root_and_waits_for_healthy_stores(
    compose: dict[str, Any], service: str, ports: dict[str, int]
) -> None:
    svc = compose["services"][service]
    assert svc["build"] == {"context": ".", "dockerfile": f"services/{service}/Dockerfile"}
    assert svc["depends_on"] == {
        "redis": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert svc["read_only"] is True and "/tmp" in svc["tmpfs"]
    env = svc["environment"]
    assert env["WIRESTREAM_PORT"] == str(ports[service])
    assert env["WIRESTREAM_REDIS_URL"].startswith("redis://redis:6379")
    assert env["WIRESTREAM_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert env["WIRESTREAM_DATABASE_URL"].endswith(f"/wirestream_{service}")
    assert f"{ports[service]}:{ports[service]}" in svc["ports"]
    assert "/ready" in " ".join(svc["healthcheck"]["test"])
    # stop_grace_period must exceed the service's graceful shutdown.
    grace = int(svc["stop_grace_period"].rstrip("s"))
    assert grace > float(env["WIRESTREAM_GRACEFUL_TIMEOUT_S"])


def test_redis_keeps_streams(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert "--appendfsync everysec" in command
    assert "--maxmemory-policy noeviction" in command
    assert "healthcheck" in redis and any(v.endswith(":/data") for v in redis["volumes"])


def test_postgres_creates_one_database_per_service(compose: dict[str, Any]) -> None:
    pg = compose["services"]["postgres"]
    assert pg["image"].startswith("postgres:16")
    assert "healthcheck" in pg
    mounts = [v.split(":")[0] for v in pg["volumes"]]
    assert "./deploy/compose/postgres-init.sql" in mounts
    sql = (ROOT / "deploy/compose/postgres-init.sql").read_text()
    assert set(re.findall(r"CREATE DATABASE (\w+);", sql)) == DATABASES
    # The Kubernetes development overlay carries the same script.
    copy = ROOT / "deploy/k8s/overlays/development/postgres-init.sql"
    assert copy.read_text() == sql


def test_translation_is_optional(compose: dict[str, Any]) -> None:
    assert compose["services"]["libretranslate"]["profiles"] == ["translate"]
    assert "libretranslate" not in compose["services"]["enrich"].get("depends_on", {})


def test_mounted_files_exist(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"


def test_prometheus_scrapes_every_service(compose: dict[str, Any], ports: dict[str, int]) -> None:
    config = yaml.safe_load((ROOT / "deploy/compose/prometheus.yml").read_text())
    jobs = {j["job_name"]: j["static_configs"][0]["targets"] for j in config["scrape_configs"]}
    for service, port in ports.items():
        # Job named after the service, as the Kubernetes ServiceMonitors name theirs.
        assert jobs[service] == [f"{service}:{port}"]
    mounted = {v.split(":")[1] for v in compose["services"]["prometheus"]["volumes"]}
    assert set(config["rule_files"]) <= mounted


def test_grafana_is_provisioned(compose: dict[str, Any]) -> None:
    grafana = compose["services"]["grafana"]
    sources = {v.split(":")[0]: v.split(":")[1] for v in grafana["volumes"]}
    provisioning = ROOT / "deploy/grafana/provisioning"
    assert sources["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    datasource = yaml.safe_load((provisioning / "datasources/prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
    dashboards = yaml.safe_load((provisioning / "dashboards/wirestream.yml").read_text())
    folder = dashboards["providers"][0]["options"]["path"]
    assert sources["./deploy/grafana/wirestream-dashboard.json"].startswith(folder + "/")
