"""Draw the installed app's icons, static/icons/*.png: the favicon's four rising bars in the four
level colours on the header's background colour.

Standard library only (scripts/make_favicon.py's PNG encoder). Run
`python3 scripts/make_app_icons.py` after changing it and commit the output. The maskable icon
keeps the bars inside the central 60% (the safe zone is a circle of 80%), as the launcher may crop
it to any shape; the others keep them inside 75%.
"""

from pathlib import Path

try:
    from make_favicon import COLOURS, png_from_rows
except ImportError:  # imported as scripts.make_app_icons (tests)
    from scripts.make_favicon import COLOURS, png_from_rows

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# The header's background (govuk-frontend's surface background colour); also the manifest's
# theme_color and background_color.
BACKGROUND = (0xF4, 0xF8, 0xFB)
ICONS = {"icon-192.png": (192, 0.75), "icon-512.png": (512, 0.75), "maskable-512.png": (512, 0.6)}


def pixels(size, content):
    """Rows of RGBA pixels: the background, and the bars in a centred square `content` wide."""
    inner = int(size * content) // 4 * 4
    start = (size - inner) // 2
    bar = inner // 4
    gap = max(1, inner // 16)
    background = bytes(BACKGROUND) + b"\xff"
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            ix, iy = x - start, y - start
            pixel = background
            if 0 <= ix < inner and 0 <= iy < inner:
                n = min(ix // bar, 3)
                if ix % bar < bar - gap and iy >= inner - (n + 1) * inner // 4:
                    pixel = bytes(COLOURS[n]) + b"\xff"
            row += pixel
        rows.append(bytes(row))
    return rows


if __name__ == "__main__":
    OUTPUT.mkdir(exist_ok=True)
    for name, (size, content) in ICONS.items():
        path = OUTPUT / name
        path.write_bytes(png_from_rows(size, pixels(size, content)))
        print(f"wrote {path} ({path.stat().st_size} bytes)")
