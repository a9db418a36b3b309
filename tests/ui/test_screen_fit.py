"""Every page fits the commonest office screen, 1366×768, and the projector's 1024×768.

The window is given what such a screen leaves it: the taskbar (40 px) and the title bar
(31 px) taken off, 1366×697. On every page and every tab, each widget needed for work (buttons,
fields, lists, tables) must be wholly visible: not cut off by the window's edge, not hidden
under a neighbour. At 1024×697 the window must still fit (a page may then scroll).
Screenshots of each page at 1366×768 are written to docs/screenshots/ when
SHUANGSUIJI_SCREENSHOTS is set (and were looked at).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QCalendarWidget, QComboBox, QHeaderView, QLineEdit, QPlainTextEdit,
    QScrollBar, QTabBar, QTabWidget, QTextEdit, QWidget,
)

OFFICE = (1366, 768 - 40 - 31)
PROJECTOR = (1024, 768 - 40 - 31)
WORK_WIDGETS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QTextEdit, QPlainTextEdit)
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _work_widgets(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, WORK_WIDGETS) or not widget.isVisible():
            continue
        parent, inner = widget.parentWidget(), False
        while parent is not None and parent is not root:
            if isinstance(parent, (QAbstractItemView, QComboBox, QAbstractSpinBox, QScrollBar, QTabBar, QHeaderView,
                                   QCalendarWidget)):
                inner = True  # part of a composite widget (a table's header, a combo's field)
                break
            parent = parent.parentWidget()
        if not inner and widget.width() > 0:
            found.append(widget)
    return found


def _hidden_parts(window: QWidget) -> list[str]:
    problems = []
    for widget in _work_widgets(window):
        visible = widget.visibleRegion().boundingRect()
        if visible != widget.rect():
            name = widget.text() if hasattr(widget, "text") and callable(widget.text) else type(widget).__name__
            problems.append(f"{name or type(widget).__name__}：只看得见 {visible.width()}×{visible.height()}"
                            f"（共 {widget.width()}×{widget.height()}）")
    return problems


def _each_tab(window: QWidget):
    """Yields once per combination worth checking: the page as shown, then each tab of its tab widgets."""
    yield ""
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield tabs.tabText(index)


def test_the_tests_run_on_a_1366x768_screen(qapp):
    assert qapp.primaryScreen().size().toTuple() == (1366, 768)


@pytest.mark.parametrize("size", [OFFICE, PROJECTOR], ids=["1366x768", "1024x768"])
def test_the_main_window_fits_the_screen(main_window, qtbot, size):
    assert main_window.minimumSizeHint().width() <= size[0]
    assert main_window.minimumSizeHint().height() <= size[1]
    main_window.resize(*size)
    qtbot.waitUntil(lambda: (main_window.width(), main_window.height()) == size)
    assert not _hidden_parts(main_window.statusBar())


def test_the_print_preview_fits_the_screen(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from app.services.rulebooks.templates import Preview
    from app.ui.common.print_preview import PrintPreviewDialog

    page = tmp_path / "page-1.png"
    image = QImage(595, 842, QImage.Format.Format_RGB32)  # an A4 page at 72 dpi
    image.fill(0xFFFFFF)
    image.save(str(page))
    dialog = PrintPreviewDialog(Preview(tmp_path / "告知书.docx", tmp_path / "告知书.pdf", [page]), "检查结果告知书")
    qtbot.addWidget(dialog)
    free = dialog.screen().availableGeometry()
    assert dialog.width() <= free.width() and dialog.height() + 32 <= free.height()


def test_every_page_and_tab_shows_all_its_controls_at_1366x768(main_window, qtbot):
    main_window.resize(*OFFICE)
    problems = {}
    qtbot.waitUntil(lambda: (main_window.width(), main_window.height()) == OFFICE)
    for title in main_window.page_titles():
        main_window.open_page(title)
        for tab in _each_tab(main_window):
            qtbot.wait(10)
            assert (main_window.width(), main_window.height()) == OFFICE, title
            hidden = _hidden_parts(main_window)
            if hidden:
                problems[f"{title} {tab}".strip()] = hidden
            if os.environ.get("SHUANGSUIJI_SCREENSHOTS"):
                QThreadPool.globalInstance().waitForDone(10_000)  # the counts a page loads in the background
                qtbot.wait(50)
                SHOTS.mkdir(exist_ok=True)
                main_window.grab().save(str(SHOTS / f"1366x768-{title}{'-' + tab if tab else ''}.png"))
    assert problems == {}
