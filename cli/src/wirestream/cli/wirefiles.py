"""The wire files of a backfill: a directory tree or a .zip, each file one wire document."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CONTENT_TYPES = {
    ".json": "application/json", ".ninjs": "application/ninjs+json",
    ".xml": "application/xml", ".nitf": "application/xml", ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}


def content_type_for(name: str) -> str:
    """The Content-Type to send a file with, from its extension (sniffed when unknown)."""
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class WireFile:
    """One document to import; ``read`` raises ``ValueError`` when it is too large."""

    name: str
    agency: str | None
    size: int
    read: Callable[[], bytes]

    @property
    def content_type(self) -> str:
        return content_type_for(self.name)


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _agency(parts: tuple[str, ...], agency: str | None) -> str | None:
    """``--agency`` if given, else the top directory a file sits in (``reuters/x.xml``)."""
    return agency or (parts[0] if len(parts) > 1 else None)


def wire_files(path: Path, *, agency: str | None, max_bytes: int) -> list[WireFile]:
    """The files under ``path`` (a directory or a .zip), in name order."""
    if path.is_dir():
        return sorted(_from_directory(path, agency, max_bytes), key=lambda f: f.name)
    if zipfile.is_zipfile(path):
        return sorted(_from_zip(path, agency, max_bytes), key=lambda f: f.name)
    if path.is_file():
        return [_file(path, path.name, agency, max_bytes)]
    raise FileNotFoundError(f"{path}: no such directory, .zip or file")


def _file(path: Path, name: str, agency: str | None, max_bytes: int) -> WireFile:
    size = path.stat().st_size

    def read() -> bytes:
        if size > max_bytes:
            raise ValueError(f"{size} bytes; the limit is {max_bytes}")
        return path.read_bytes()

    return WireFile(name, agency, size, read)


def _from_directory(root: Path, agency: str | None, max_bytes: int) -> Iterator[WireFile]:
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and not _skipped(parts):
            yield _file(path, "/".join(parts), _agency(parts, agency), max_bytes)


def _from_zip(archive: Path, agency: str | None, max_bytes: int) -> Iterator[WireFile]:
    with zipfile.ZipFile(archive) as zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
    for member in members:
        parts = PurePosixPath(member.filename).parts
        if _skipped(parts):
            continue

        def read(member: zipfile.ZipInfo = member) -> bytes:
            # The declared size can lie (zip bombs): read one byte past the limit at most.
            if member.file_size > max_bytes:
                raise ValueError(f"{member.file_size} bytes; the limit is {max_bytes}")
            with zipfile.ZipFile(archive) as zf, zf.open(member) as f:
                data = f.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ValueError(f"more than {max_bytes} bytes")
            return data

        yield WireFile(member.filename, _agency(parts, agency), member.file_size, read)
