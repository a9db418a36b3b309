"""The program's icon ships in the forms the window, Linux desktops and Windows installers read."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QImage

from app.paths import resources_dir


def test_icons_load_at_full_size(qapp):
    assert not QIcon(str(resources_dir() / "icon.png")).isNull()
    for name in ("icon.png", "icon.ico"):
        image = QImage(str(resources_dir() / name))
        assert (image.width(), image.height()) == (256, 256), name
