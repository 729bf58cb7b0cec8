"""A small PNG bar chart for report e-mails, drawn without a plotting library (no fonts, no CDN)."""

from __future__ import annotations

import struct
import zlib

COLOURS = [(30, 123, 52), (60, 120, 181), (194, 124, 14), (179, 38, 30)]
BACKGROUND = (255, 255, 255)
AXIS = (120, 120, 120)


def bar_chart_png(values: list[float], *, width: int = 360, height: int = 160, maximum: float = 100.0) -> bytes:
    """One bar per value (0..maximum), a baseline and a target line at maximum; returns PNG bytes."""
    pixels = [[BACKGROUND] * width for _ in range(height)]
    count = max(len(values), 1)
    slot = width // count
    base = height - 10
    for index, value in enumerate(values):
        bar_height = int(max(0.0, min(value, maximum)) / maximum * (height - 20))
        colour = COLOURS[index % len(COLOURS)]
        for x in range(index * slot + slot // 5, index * slot + slot - slot // 5):
            for y in range(base - bar_height, base):
                pixels[y][x] = colour
    for x in range(width):
        pixels[base][x] = AXIS
        if x % 6 < 3:
            pixels[10][x] = AXIS  # dashed target line (100 %)
    raw = b"".join(b"\x00" + b"".join(struct.pack("BBB", *pixel) for pixel in row) for row in pixels)
    return _png(width, height, raw)


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
