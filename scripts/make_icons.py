"""Render resources/icons/tabledesk.svg to the PNG and ICO files that packaging needs.

    .venv/bin/python scripts/make_icons.py

Writes ``tabledesk-<N>.png`` for the sizes the Linux desktop entry and the About box use, and
``tabledesk.ico`` for the Windows executable and installer. Qt's own ICO writer stores a single
image, so the ICO container (a directory of PNG-compressed images, which Windows reads since
Vista) is written here; Qt only draws the pixels. The outputs are small and committed, so a
build does not need this script; run it again after changing the SVG.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file of PNG images: ICONDIR, one ICONDIRENTRY each, then the PNG data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (Qt needs one)
    renderer = QSvgRenderer(str(ICONS / "tabledesk.svg"))
    if not renderer.isValid():
        print(f"make_icons: cannot read {ICONS / 'tabledesk.svg'}", file=sys.stderr)
        return 1
    rendered = {size: render(renderer, size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        (ICONS / f"tabledesk-{size}.png").write_bytes(rendered[size])
    (ICONS / "tabledesk.ico").write_bytes(ico({size: rendered[size] for size in ICO_SIZES}))
    print(f"make_icons: wrote {len(PNG_SIZES)} PNG and tabledesk.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
