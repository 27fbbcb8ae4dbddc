"""Render the application icon from its SVG: PNGs at every size, a Windows .ico, a macOS .icns.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Rendering uses Qt's own SVG renderer (QtSvg, already bundled), so no image library is needed.
Both containers hold PNG images, which Windows (Vista and later) and macOS (10.7 and later) read.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons" / "app"
NAME = "faststore-desktop"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS element types holding PNG data, with their pixel size (the @2x ones count double).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"could not encode the {size} px icon: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_container(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per image (PNG payloads); a 256 px size is written as 0."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payloads = [], []
    for size in sizes:
        png = pngs[size]
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset))
        payloads.append(png)
        offset += len(png)
    return header + b"".join(entries) + b"".join(payloads)


def icns_container(pngs: dict[int, bytes]) -> bytes:
    """'icns' + total length, then (type, 8 + length, PNG) per element; all big-endian."""
    elements = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(elements)) + elements


def build(svg: Path, out_dir: Path) -> list[Path]:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise RuntimeError(f"{svg} is not a valid SVG")
    needed = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(renderer, size) for size in needed}
    written = []
    for size in PNG_SIZES:
        written.append(_write(out_dir / f"{NAME}-{size}.png", pngs[size]))
    written.append(_write(out_dir / f"{NAME}.ico", ico_container({s: pngs[s] for s in ICO_SIZES})))
    written.append(_write(out_dir / f"{NAME}.icns", icns_container(pngs)))
    return written


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=ICON_DIR / f"{NAME}.svg")
    parser.add_argument("--out", type=Path, default=ICON_DIR)
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in build(args.svg, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
