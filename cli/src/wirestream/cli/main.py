"""The ``wirestream`` command."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from . import admin, dev, importing, taxonomy


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wirestream", description="Wirestream news platform")
    sub = p.add_subparsers(dest="cmd", required=True)

    d = sub.add_parser("dev", help="run the whole platform locally")
    for service, port in dev.DEFAULT_PORTS.items():
        d.add_argument(f"--{service}-port", type=int, default=None, help=f"default {port}")

    a = sub.add_parser("agency", help="manage wire agencies")
    asub = a.add_subparsers(dest="agency_cmd", required=True)
    add = asub.add_parser("add", help="create an agency and print its secret")
    add.add_argument("name")
    add.add_argument("--language", default=None)
    add.add_argument("--priority", type=int, default=0)
    asub.add_parser("list")
    rot = asub.add_parser("rotate", help="add a new secret; the previous one stays valid")
    rot.add_argument("name")
    dis = asub.add_parser("disable")
    dis.add_argument("name")
    st = asub.add_parser("set", help="change an agency's settings (only the options given)")
    st.add_argument("name")
    st.add_argument("--language", default=None, help="default language; 'none' clears it")
    st.add_argument("--priority", type=int, default=None)
    st.add_argument("--feed-url", default=None, help="poll this RSS/Atom/wire feed; 'none' stops")
    st.add_argument("--poll-interval", default=None, metavar="SECONDS",
                    help="seconds between polls (>= 10); 'none' for the service default")
    onoff = st.add_mutually_exclusive_group()
    onoff.add_argument("--enable", dest="enable", action="store_const", const=True, default=None)
    onoff.add_argument("--disable", dest="enable", action="store_const", const=False)

    ing = sub.add_parser("ingest", help="ingest tools")
    isub = ing.add_subparsers(dest="ingest_cmd", required=True)
    imp = isub.add_parser("import", help="backfill a directory or .zip of wire files")
    imp.add_argument("path", help="a directory (agency/<files> unless --agency) or a .zip")
    imp.add_argument("--agency", default=None, help="default: each file's top directory")
    imp.add_argument("--url", default=os.environ.get("WIRESTREAM_INGEST_URL",
                                                     "http://127.0.0.1:8001"))
    imp.add_argument("--secret", default=None, help="default: the agency's current secret")
    imp.add_argument("--direct", action="store_true",
                     help="write to ingest's database instead of calling its webhook")
    imp.add_argument("--concurrency", type=int, default=4,
                     help="webhook calls in flight (1 keeps the files' order)")

    s = sub.add_parser("send", help="sign a wire file and post it to ingest")
    s.add_argument("file")
    s.add_argument("--agency", required=True)
    s.add_argument("--url", default=os.environ.get("WIRESTREAM_INGEST_URL",
                                                   "http://127.0.0.1:8001"))
    s.add_argument("--secret", default=None, help="default: the agency's current secret")
    s.add_argument("--content-type", default=None)

    dl = sub.add_parser("deadletter", help="list or replay dead letters")
    dl.add_argument("--redis-url", default=None)
    dlsub = dl.add_subparsers(dest="dl_cmd", required=True)
    ls = dlsub.add_parser("list")
    ls.add_argument("--count", type=int, default=100)
    rp = dlsub.add_parser("replay")
    rp.add_argument("ids", nargs="*")
    rp.add_argument("--all", action="store_true")

    m = sub.add_parser("migrate", help="upgrade the services' databases")
    m.add_argument("--service", action="append", choices=admin.SERVICES)

    doc = sub.add_parser("docs", help="generate docs/api: AsyncAPI (bus) and OpenAPI (HTTP)")
    doc.add_argument("--check", action="store_true", help="fail if the files are stale")

    b = sub.add_parser("bench", help="run benchmarks from bench/ (default: all)")
    b.add_argument("names", nargs="*")

    t = sub.add_parser("test", help="run the test suite (extra args go to pytest)")
    t.add_argument("pytest_args", nargs=argparse.REMAINDER)
    taxonomy.add_parser(sub)
    return p


def api_docs(*, check: bool) -> int:
    from pathlib import Path

    from wirestream.common import apidocs

    target = Path.cwd() / "docs" / "api"
    if check:
        stale = apidocs.drift(target)
        for name in stale:
            print(f"stale: docs/api/{name} (run: wirestream docs)")
        return 1 if stale else 0
    for path in apidocs.write_all(target):
        print(f"wrote {path.relative_to(Path.cwd())}")
    return 0


# Benchmarks that take half an hour run only when named (``wirestream bench soak``).
LONG_BENCHES = {"soak"}


def run_benches(names: list[str]) -> int:
    """Run bench/<name>.py scripts from the repository root, each printing its figures."""
    from pathlib import Path

    bench_dir = Path.cwd() / "bench"
    scripts = [bench_dir / f"{n}.py" for n in names] if names else sorted(
        p for p in bench_dir.glob("*.py")
        if not p.name.startswith("_") and p.stem not in LONG_BENCHES)
    worst = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        worst = max(worst, subprocess.call([sys.executable, str(script)]))
    return worst


# command -> Debian package: deployment checks and the browser tests need these.
SYSTEM_TOOLS = {"docker-compose": "docker-compose", "promtool": "prometheus",
                "chromium": "chromium"}


def ensure_system_tools() -> None:
    """Install the Debian packages the deployment checks use, when we can (root + apt)."""
    import os
    import shutil

    missing = [pkg for cmd, pkg in SYSTEM_TOOLS.items() if shutil.which(cmd) is None]
    if not missing or shutil.which("apt-get") is None or os.geteuid() != 0:
        return
    print(f"installing {' '.join(missing)} with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    subprocess.call(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                    env=env)


def run_tests(extra: list[str]) -> int:
    """Every test tier; each session starts its own redis-server on a free port."""
    ensure_system_tools()
    code = subprocess.call([sys.executable, "-m", "pytest", *extra])
    return 0 if code == 5 and extra else code  # 5: a filter selected no test


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "dev":
        return dev.run(args)
    if args.cmd == "agency":
        return admin.agency(args)
    if args.cmd == "send":
        return admin.send(args)
    if args.cmd == "ingest":
        return importing.run(args)
    if args.cmd == "deadletter":
        return admin.deadletter(args)
    if args.cmd == "migrate":
        return admin.migrate(args)
    if args.cmd == "docs":
        return api_docs(check=args.check)
    if args.cmd == "bench":
        return run_benches(args.names)
    if args.cmd == "taxonomy":
        return taxonomy.run(args)
    if args.cmd == "test":
        return run_tests(args.pytest_args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
