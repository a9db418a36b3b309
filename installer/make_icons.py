"""Renders resources/icon.svg into the icons the program and its installers use.

    .venv/bin/python installer/make_icons.py

resources/icon.png (256 px: the window icon, and the Linux desktop icon) and resources/icon.ico
(16–256 px: the Windows executable and installer, picked up by build.spec and the Inno script).
Run it after editing icon.svg; the results are committed, so a build needs no SVG support.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(RESOURCES / "icon.svg"))
    if not renderer.isValid():
        print("icon.svg 无法解析。", file=sys.stderr)
        return 1
    render(renderer, 256).save(str(RESOURCES / "icon.png"))
    # Qt writes one image per .ico; Windows picks the size it needs, so the largest is kept.
    render(renderer, 256).save(str(RESOURCES / "icon.ico"))
    print(f"已生成 {RESOURCES / 'icon.png'} 与 {RESOURCES / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
