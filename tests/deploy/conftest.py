"""Shared fixtures for the packaging and deployment checks.

These tests read the repository's deployment files and run the tools that
check them (kubectl kustomize, kubernetes-validate, hadolint, docker compose,
promtool). A missing tool skips its tests with a message saying what to
install; CI installs them all. No image is built and no cluster is needed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the deployment files")

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("development", "production")

# The four services and the port each listens on (WIRESTREAM_PORT).
SERVICE_PORTS = {"publish": 8000, "ingest": 8001, "enrich": 8002, "comments": 8003}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run any test taking ``service`` once per service, and ``overlay`` once per overlay."""
    if "service" in metafunc.fixturenames:
        metafunc.parametrize("service", list(SERVICE_PORTS))
    if "overlay" in metafunc.fixturenames:
        metafunc.parametrize("overlay", OVERLAYS)


def find_tool(name: str) -> str | None:
    """A command on PATH or next to this interpreter (the venv's bin/)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else None


def require_tool(name: str, how: str) -> str:
    path = find_tool(name)
    if path is None:
        pytest.skip(f"{name} not found: {how}")
    return path


@pytest.fixture(scope="session")
def tool() -> Callable[[str, str], str]:
    """``tool("hadolint", "how to install it")``: the command's path, or skip the test."""
    return require_tool


@pytest.fixture(scope="session")
def ports() -> dict[str, int]:
    return dict(SERVICE_PORTS)


@pytest.fixture(scope="session")
def render() -> Callable[[str], list[dict[str, Any]]]:
    """``render("production")``: the overlay's resources, rendered by ``kubectl kustomize``."""
    kubectl = require_tool("kubectl", "install kubectl (it embeds kustomize)")
    cache: dict[str, list[dict[str, Any]]] = {}

    def _render(overlay: str) -> list[dict[str, Any]]:
        if overlay not in cache:
            out = subprocess.run(
                [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert out.returncode == 0, f"kustomize failed for {overlay}:\n{out.stderr}"
            cache[overlay] = [d for d in yaml.safe_load_all(out.stdout) if d]
        return cache[overlay]

    return _render


@pytest.fixture(scope="session")
def metric_names() -> set[str]:
    """Every sample name the services export: the catalogue in wirestream.common.metrics."""
    from prometheus_client import CollectorRegistry
    from wirestream.common.metrics import Metrics

    registry = CollectorRegistry()
    Metrics(registry, "deploy-tests")
    names: set[str] = set()
    for family in registry.collect():
        if family.type == "counter":
            names.add(f"{family.name}_total")
        elif family.type == "histogram":
            names.update(f"{family.name}{s}" for s in ("_bucket", "_sum", "_count"))
        else:
            names.add(family.name)
    return names
