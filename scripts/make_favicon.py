"""Draw the site's icon, static/favicon.ico: four rising bars in the four level colours.

Standard library only (PNG images inside an ICO file, which every current browser reads).
Run `python3 scripts/make_favicon.py` after changing it and commit the output.
"""

import struct
import zlib
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
# The level colours of static/scss/_levels.scss, level 1 to 4.
COLOURS = [(0x00, 0x70, 0x3C), (0x1D, 0x70, 0xB8), (0xF4, 0x77, 0x38), (0x94, 0x25, 0x14)]


def pixels(size):
    """Rows of RGBA pixels: bar n (0-3) is a quarter of the width and (n + 1) quarters high."""
    gap = max(1, size // 16)
    bar = size // 4
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            n = min(x // bar, 3)
            top = size - (n + 1) * size // 4
            inside = x % bar < bar - gap and y >= top
            row += bytes(COLOURS[n]) + b"\xff" if inside else bytes(4)  # else transparent
        rows.append(bytes(row))
    return rows


def png(size):
    return png_from_rows(size, pixels(size))


def png_from_rows(size, rows):
    """A square 8-bit RGBA PNG of `size` rows of RGBA pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes=(16, 32, 48)):
    images = [png(size) for size in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


if __name__ == "__main__":
    OUTPUT.write_bytes(ico())
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
