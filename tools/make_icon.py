# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Draws static/description/icon.png (128x128): an invoice sent to the platform.

    python tools/make_icon.py   (needs Pillow, which Odoo requires)
"""

import pathlib

from PIL import Image, ImageDraw

SCALE = 4  # drawn large, then reduced: smooth edges
SIZE = 128
BLUE, WHITE, RED, GREEN, GREY = "#1f4e8c", "#ffffff", "#e1000f", "#18a058", "#c5d3e6"
OUT = pathlib.Path(__file__).resolve().parent.parent / "static" / "description" / "icon.png"


def s(*values):
    return [v * SCALE for v in values]


def draw():
    img = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(s(0, 0, 127, 127), radius=22 * SCALE, fill=BLUE)
    # the invoice, folded corner top right
    d.polygon(s(30, 18, 78, 18, 96, 36, 96, 108, 30, 108), fill=WHITE)
    d.polygon(s(78, 18, 78, 36, 96, 36), fill=GREY)
    # French stripes as the letterhead, text lines below
    for i, colour in enumerate((BLUE, WHITE, RED)):
        d.rectangle(s(38 + 8 * i, 28, 46 + 8 * i, 36), fill=colour,
                    outline=BLUE if i == 1 else None, width=SCALE)
    for y, right in ((48, 86), (58, 86), (68, 72)):
        d.rounded_rectangle(s(38, y, right, y + 4), radius=2 * SCALE, fill=GREY)
    # accepted: a green badge with a check mark
    d.ellipse(s(70, 74, 110, 114), fill=GREEN, outline=WHITE, width=4 * SCALE)
    d.line(s(80, 94, 88, 102, 101, 85), fill=WHITE, width=6 * SCALE, joint="curve")
    return img.resize((SIZE, SIZE), Image.LANCZOS)


if __name__ == "__main__":
    draw().save(OUT, optimize=True)
    print(OUT, OUT.stat().st_size, "bytes")
