"""告知书与送达 page: a clerk issues a task's notices, records a delivery and voids one, and sees it in the register."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton

from app.ui.context import AppContext
from app.ui.notices.dialogs import DeliveryDialog, VoidDialog
from tests.integration.notice_county import approved_task
from tests.actors import CLERK

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, sqlite_database, tmp_path, monkeypatch):
    from app.ui.main_window import MainWindow

    approved_task(sqlite_database, tmp_path / "包")
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a, **k: messages.append(text))
    main = MainWindow(AppContext(db=sqlite_database, actor=CLERK))
    main.messages = messages
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    return main


def _column(page, column: int) -> list[str]:
    return [page.table.item(r, column).text() for r in range(page.table.rowCount())]


def test_issue_deliver_and_void_show_in_the_register(qtbot, window, monkeypatch):
    page = window.open_page("告知书与送达")
    assert page.task.count() == 1 and page.table.rowCount() == 0
    qtbot.mouseClick(page.findChild(QPushButton, "issueNotices"), LEFT)
    qtbot.waitUntil(lambda: page.table.rowCount() == 11, timeout=60000)  # ten notices and the draw record
    assert window.messages[-1].startswith("已出具 10 份告知书")
    numbers = _column(page, 0)
    assert numbers[0].endswith("抽告〔2026〕1号") and _column(page, 1).count("检查结果告知书") == 10
    assert _column(page, 5).count("未送达") == 10

    def fill_delivery(dialog: DeliveryDialog) -> int:
        dialog.method.setCurrentText("邮寄送达")
        dialog.tracking.setText("EMS1234567890")
        dialog.recipient.setText("张店长")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeliveryDialog, "exec", fill_delivery)
    page.table.selectRow(0)
    qtbot.mouseClick(page.findChild(QPushButton, "recordDelivery"), LEFT)
    assert _column(page, 5)[0].startswith("邮寄送达") and "EMS1234567890" in _column(page, 5)[0]

    def fill_reason(dialog: VoidDialog) -> int:
        dialog.reason.setPlainText("检查对象名称有误")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VoidDialog, "exec", fill_reason)
    page.table.selectRow(1)
    qtbot.mouseClick(page.findChild(QPushButton, "voidNotice"), LEFT)
    assert _column(page, 6)[1] == "已作废：检查对象名称有误" and _column(page, 0)[1] == numbers[1]
    assert "已作废 1 份、未送达 8 份" in page.summary.text()

    page.code.setText(numbers[1])  # as a scanner types it (QTest cannot type Chinese)
    qtbot.mouseClick(page.findChild(QPushButton, "checkCode"), LEFT)
    assert "作废（原因：检查对象名称有误），不再有效" in page.verdict.text()
    page.search.setText(numbers[2])
    assert _column(page, 0) == [numbers[2]]
    assert page.minimumSizeHint().width() <= 1366 - 200 and page.minimumSizeHint().height() <= 700


def test_evidence_added_from_the_register_is_kept_with_the_inspection(qtbot, window, monkeypatch, tmp_path):
    from app.services.inspection import evidence
    from app.services.notices import issue

    page = window.open_page("告知书与送达")
    issue.issue_notices(page.context.db, CLERK, page.task_id())
    page.reload()
    photo = tmp_path / "送达回证（已签收）.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 4000)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo)], ""))
    page.table.selectRow(0)
    qtbot.mouseClick(page.findChild(QPushButton, "attachEvidence"), LEFT)
    qtbot.waitUntil(lambda: bool(window.messages) and window.messages[-1].startswith("已为"), timeout=20_000)
    assert f"已为“{page.rows[0].subject}”添加 1 个文件" in window.messages[-1]
    assert [f.file_name for f in evidence.list_files(page.context.db, page.rows[0].inspection_id)] == [photo.name]
