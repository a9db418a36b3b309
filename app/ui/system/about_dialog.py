"""关于: version, database in use, and where the data lives."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import APP_NAME, __version__, config
from app.ui.context import AppContext


class AboutDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_NAME}")
        text = QLabel(
            f"<h2>{APP_NAME}</h2>"
            f"<p>版本 {__version__}</p>"
            "<p>县级“双随机、一公开”监管离线工作台：一单两库一细则、年度抽查计划、"
            "可见证可验证的随机抽取、检查文书、结果公示与月报表。</p>"
            f"<p>数据库：{context.database_description}<br>"
            f"数据文件夹：{config.data_dir()}</p>"
            f"<p style='color:#666'>Python {platform.python_version()} · Qt for Python {pyside_version}</p>"
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
