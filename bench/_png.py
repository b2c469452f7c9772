"""A tiny line-chart PNG writer (zlib + struct), so the soak plot needs no matplotlib.

``chart(panels, path)`` stacks one panel per metric: each panel has its own y scale
(its maximum is printed in the top-left corner), a shared time axis in minutes, and
one coloured line per series. Text uses a built-in 3x5 pixel font (capitals, digits,
a few signs).
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Color = tuple[int, int, int]
PALETTE: list[Color] = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14),
                        (148, 103, 189), (140, 86, 75), (227, 119, 194), (23, 190, 207)]
_FONT = {  # 3x5 glyphs, rows top to bottom, "1" = ink
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001111001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001001001001", "8": "111101111101111",
    "9": "111101111001111", ".": "000000000000010", ":": "000010000010000",
    "-": "000000111000000", "/": "001001010100100", " ": "000000000000000",
    "+": "000010111010000", "(": "010100100100010", ")": "010001001001010",
    "A": "010101111101101", "B": "110101110101110", "C": "111100100100111",
    "D": "110101101101110", "E": "111100110100111", "F": "111100110100100",
    "G": "111100101101111", "H": "101101111101101", "I": "111010010010111",
    "K": "101101110101101", "L": "100100100100111", "M": "101111111101101",
    "N": "111101101101101", "O": "111101101101111", "P": "111101111100100",
    "R": "111101110101101", "S": "111100111001111", "T": "111010010010010",
    "U": "101101101101111", "V": "101101101101010", "W": "101101111111101",
    "X": "101101010101101", "Y": "101101010010010", "Z": "111001010100111",
    "J": "001001001101111", "Q": "111101101111001",
}


@dataclass
class Panel:
    title: str
    series: dict[str, list[tuple[float, float]]]  # name -> (minutes, value)


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width, height
        self.px = bytearray(b"\xff" * (width * height * 3))

    def dot(self, x: int, y: int, c: Color) -> None:
        if 0 <= x < self.w and 0 <= y < self.h:
            i = (y * self.w + x) * 3
            self.px[i:i + 3] = bytes(c)

    def line(self, x0: int, y0: int, x1: int, y1: int, c: Color) -> None:
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, c)
            self.dot(x0, y0 + 1, c)  # two pixels thick
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err, x0 = err + dy, x0 + sx
            if e2 <= dx:
                err, y0 = err + dx, y0 + sy

    def text(self, x: int, y: int, s: str, c: Color = (0, 0, 0), scale: int = 2) -> None:
        for ch in s.upper():
            glyph = _FONT.get(ch, _FONT[" "])
            for i, bit in enumerate(glyph):
                if bit == "1":
                    for a in range(scale):
                        for b in range(scale):
                            self.dot(x + (i % 3) * scale + a, y + (i // 3) * scale + b, c)
            x += 4 * scale

    def png(self) -> bytes:
        rows = b"".join(b"\x00" + bytes(self.px[y * self.w * 3:(y + 1) * self.w * 3])
                        for y in range(self.h))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def _fmt(v: float) -> str:
    return f"{v:.0f}" if v >= 10 else f"{v:.1f}"


def chart(panels: Sequence[Panel], path: Path, *, width: int = 1000,
          panel_h: int = 190) -> None:
    """Write ``panels`` as a PNG at ``path``."""
    top, left, gap = 10, 60, 34
    c = Canvas(width, top + len(panels) * (panel_h + gap) + 20)
    t_max = max((t for p in panels for s in p.series.values() for t, _ in s), default=1) or 1
    for n, panel in enumerate(panels):
        y0 = top + n * (panel_h + gap) + 24
        x1, y1 = width - 200, y0 + panel_h - 24
        v_max = max((v for s in panel.series.values() for _, v in s), default=1) or 1
        c.text(left, y0 - 20, panel.title)
        c.text(4, y0, _fmt(v_max))
        c.text(4, y1 - 10, "0")
        for k in range(5):  # grid
            gy = y0 + (y1 - y0) * k // 4
            for x in range(left, x1, 4):
                c.dot(x, gy, (215, 215, 215))
        c.line(left, y0, left, y1, (0, 0, 0))
        c.line(left, y1, x1, y1, (0, 0, 0))
        c.text(x1 - 40, y1 + 6, f"{_fmt(t_max)} MIN")
        for i, (name, points) in enumerate(sorted(panel.series.items())):
            color = PALETTE[i % len(PALETTE)]
            c.text(x1 + 16, y0 + i * 14, name[:22], color)
            xy = [(left + int((x1 - left) * t / t_max), y1 - int((y1 - y0) * v / v_max))
                  for t, v in points]
            for a, b in itertools.pairwise(xy):
                c.line(*a, *b, color)
    path.write_bytes(c.png())
