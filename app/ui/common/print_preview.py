"""打印预览: the pages of a document as LibreOffice lays them out, one under the other.

Where LibreOffice is not installed the document is opened in the system's WPS or
Word instead (show_preview), which has its own print preview.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.rulebooks.templates import Preview
from app.ui.common.screen_fit import fit_to_screen


def open_in_system(parent: QWidget | None, path: Path) -> bool:
    """Open a file with the program the system associates with it (WPS, Word, a PDF reader)."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.warning(parent, "无法打开", f"系统中没有可打开此文件的程序：\n{path}\n请安装 WPS Office 或 Microsoft Word。")
    return False


class PrintPreviewDialog(QDialog):
    def __init__(self, preview: Preview, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"打印预览：{title or preview.document.name}")
        fit_to_screen(self, 820, 900)

        pages = QWidget()
        pages.setObjectName("previewPages")
        column = QVBoxLayout(pages)
        column.setSpacing(16)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for number, path in enumerate(preview.pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap(str(path)))
            label.setStyleSheet("background: white; border: 1px solid #b8c2d0;")
            label.setToolTip(f"第 {number} 页")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.scroll = QScrollArea()
        self.scroll.setWidget(pages)
        self.scroll.setWidgetResizable(True)
        self.scroll.setStyleSheet("QScrollArea, #previewPages { background: #e6e9ee; }")

        info = QLabel(f"共 {len(preview.pages)} 页。打印请用 WPS 或 Word 打开后打印（页面、页边距与此处一致）。")
        info.setWordWrap(True)
        open_document = QPushButton("用 WPS/Word 打开")
        open_document.clicked.connect(lambda: open_in_system(self, preview.document))
        open_pdf = QPushButton("打开 PDF")
        open_pdf.clicked.connect(lambda: open_in_system(self, preview.pdf))
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(info, 1)
        buttons.addWidget(open_document)
        buttons.addWidget(open_pdf)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)


def show_preview(parent: QWidget | None, document: Path, preview: Preview | None, title: str = "") -> None:
    """The preview dialog; without LibreOffice, the document in WPS/Word; without page images, the PDF."""
    if preview is None:
        QMessageBox.information(parent, "打印预览", "本机未安装 LibreOffice，无法在程序内预览。"
                                "将用 WPS 或 Word 打开文书，请在其中预览和打印。")
        open_in_system(parent, document)
        return
    if not preview.pages:
        open_in_system(parent, preview.pdf)
        return
    PrintPreviewDialog(preview, title, parent).exec()
