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


def sparkline_svg(
    values: list[float],
    *,
    target: float | None = None,
    width: int = 120,
    height: int = 28,
    label: str = "",
) -> str:
    """An inline SVG line of ``values`` (oldest first) with a dashed target line, scaled to fit: no script,
    no external asset, safe to embed in any page (numbers only, the label escaped)."""
    from django.utils.html import format_html

    points = [float(value) for value in values if value is not None]
    if not points:
        return format_html(
            '<svg class="sparkline" width="{}" height="{}" role="img" aria-label="{}"></svg>',
            width,
            height,
            f"{label}: no data",
        )
    scale = [*points, target] if target is not None else points
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    pad = 2

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(points) - 1, 1)
    line = " ".join(f"{round(pad + index * step, 1)},{y(value)}" for index, value in enumerate(points))
    target_line = (
        format_html(
            '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="#999" stroke-dasharray="3 2" stroke-width="1"/>',
            width,
            y(target),
            y(target),
        )
        if target is not None
        else ""
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '{}<polyline fill="none" stroke="#3c78b5" stroke-width="1.5" points="{}"/>'
        '<circle cx="{}" cy="{}" r="2" fill="#3c78b5"/></svg>',
        width,
        height,
        width,
        height,
        f"{label}: latest {points[-1]:g}" + (f", target {target:g}" if target is not None else ""),
        target_line,
        line,
        line.rsplit(" ", 1)[-1].split(",")[0],
        y(points[-1]),
    )
