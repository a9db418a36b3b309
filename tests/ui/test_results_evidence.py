"""证据材料 on 检查与结果, as the demo clerk uses it: select an inspection, attach a photo (a 20+ MB scan is
refused in Chinese), see it listed, open and save a copy, remove one added by mistake; once the result is
submitted for review the evidence stays.

Saves the page at 1366×768 to tmp_path, or to $SSJ_SCREENSHOTS when set:

    SSJ_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/test_results_evidence.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.domain.inspection import MAX_EVIDENCE_BYTES, ItemOutcome, Outcome
from app.services.accounts import users
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.services.inspection import entry, evidence, records
from app.ui import tasks as ui_tasks
from app.ui.inspection import evidence_panel
from app.ui.main_window import MainWindow
from app.ui.navigation import PAGES

WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]


@pytest.fixture
def said(monkeypatch):
    """What the error boxes told the clerk."""
    errors: list[str] = []
    monkeypatch.setattr(ui_tasks, "show_error", lambda _parent, exc, details="": errors.append(str(exc)))
    return errors


@pytest.fixture
def page(qtbot, demo_context, tmp_path):
    demo_context.actor = users.create_demo_accounts(demo_context.db)["clerk"]  # the sample county's 经办人 王芳
    task_id = next(s.id for s in draws.task_draw_states(demo_context.db) if "联合抽查" in s.name)
    draws.run_draw(demo_context.db, demo_context.actor, task_id, WITNESSES, "", tmp_path / "包")
    window = MainWindow(demo_context, pages=[p for p in PAGES if p.title in ("抽取", "检查与结果")])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    shown = window.open_page("检查与结果")
    yield shown


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "现场照片-后厨.jpg"
    photo.write_bytes((b"\xff\xd8" + bytes(range(256)) * 600)[:150 * 1024])
    licence = tmp_path / "营业执照扫描件.pdf"
    licence.write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    big = tmp_path / "全部扫描.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_EVIDENCE_BYTES + 1)
    return photo, licence, big


def _choose(monkeypatch, *paths: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))


def _names(panel) -> list[str]:
    return [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]


def test_attach_see_open_save_and_remove_evidence(qtbot, page, files, said, monkeypatch, tmp_path):
    photo, licence, big = files
    panel = page.evidence
    page.select_row(0)
    subject = page.rows[0].subject_name
    assert panel.table.rowCount() == 0 and panel.message.text().startswith("还没有证据材料")
    assert panel.add_button.isEnabled() and not panel.remove_button.isEnabled()

    # a photo: stored in the background, then listed with its size, who added it and when
    _choose(monkeypatch, photo)
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    assert [panel.table.item(0, c).text() for c in range(3)] == ["现场照片-后厨.jpg", "150 KB", "王芳"]
    stored = evidence.list_files(page.context.db, page.rows[0].id)[0]
    assert panel.table.item(0, 3).text() == f"{stored.added_at:%Y-%m-%d %H:%M}" and stored.sha256 in \
        panel.table.item(0, 0).toolTip()
    assert panel.message.text() == "已添加 1 个文件（现场照片-后厨.jpg）。"
    assert panel.title() == "证据材料（1 个文件）"

    # a scan over 20 MB together with a good file: refused in Chinese, neither stored
    _choose(monkeypatch, licence, big)
    panel.add_button.click()
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[-1] == ("以下文件不能作为证据材料：\n“全部扫描.pdf”有 20.1 MB，超过每个文件 20 MB 的上限"
                        "（请压缩照片或分页扫描后再添加）\n所选的其余 1 个文件也未添加，请去掉上述文件后重新添加。")
    QThreadPool.globalInstance().waitForDone(5_000)
    qtbot.wait(50)
    assert _names(panel) == ["现场照片-后厨.jpg"]

    # the licence alone, then a copy opened with the system's viewer and another saved where the clerk says
    _choose(monkeypatch, licence)
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)
    qtbot.wait(100)
    out = Path(os.environ.get("SSJ_SCREENSHOTS", tmp_path))
    assert page.window().grab().save(str(out / "results-evidence.png"))
    opened: list[Path] = []
    monkeypatch.setattr(evidence_panel, "open_in_system", lambda _parent, path: opened.append(Path(path)))
    panel.table.selectRow(0)
    panel.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened[0].name == "现场照片-后厨.jpg" and opened[0].read_bytes() == photo.read_bytes()
    target = tmp_path / "另存" / "执照.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    panel.table.selectRow(1)
    panel.save_button.click()
    qtbot.waitUntil(lambda: panel.message.text() == f"已另存为：{target}", timeout=10_000)  # written by then
    assert target.read_bytes() == licence.read_bytes()

    # the photo was for another shop: removed with a reason (the audit log keeps name, size, SHA-256, reason)
    asked: list[str] = []

    def reason(_parent, _title, label, *a, **k):
        asked.append(label)
        return "选错了文件，是另一户的照片", True

    monkeypatch.setattr(QInputDialog, "getText", reason)
    panel.table.selectRow(0)
    assert panel.remove_button.isEnabled()
    panel.remove_button.click()
    assert "删除后不能恢复" in asked[-1]
    assert _names(panel) == ["营业执照扫描件.pdf"] and panel.message.text() == "已删除“现场照片-后厨.jpg”。"
    assert [f.file_name for f in evidence.list_files(page.context.db, page.rows[0].id)] == ["营业执照扫描件.pdf"]

    # another inspection has its own (empty) list; back on the first, its file is still there
    page.select_row(1)
    assert panel.table.rowCount() == 0
    page.select_row(0)
    assert _names(panel) == ["营业执照扫描件.pdf"] and subject in panel.subject

    # submitted for review: the evidence stays (the service refuses, the button says why), more may be added
    inspection_id = page.rows[0].id
    detail = records.get_inspection(page.context.db, inspection_id)
    entry.save_result(page.context.db, page.context.actor, inspection_id,
                      Outcome(date(2026, 11, 30), ("实地检查",), tuple(ItemOutcome(i.check_item_id) for i in detail.items)))
    page.reload(keep=inspection_id)
    page.submit_button.click()  # the row stays selected: the panels follow its new status
    assert page.rows[0].status == "待审核"
    assert not page.panel.isEnabled() and panel.table.rowCount() == 1
    panel.table.selectRow(0)
    assert not panel.remove_button.isEnabled() and "已提交审核" in panel.remove_button.toolTip()
    assert panel.open_button.isEnabled() and panel.add_button.isEnabled()
    panel.remove_selected()  # even if asked directly, the service keeps it
    assert "已提交审核，证据材料是审核的依据" in said[-1] and _names(panel) == ["营业执照扫描件.pdf"]

    _choose(monkeypatch, photo)  # e.g. a photo taken for the reviewer
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)


def test_the_evidence_panel_fits_the_page_at_1366x768(qtbot, page):
    window = page.window()
    window.resize(1366, 768 - 40 - 31)  # what the screen leaves the window: taskbar and title bar
    qtbot.waitUntil(lambda: window.height() == 768 - 40 - 31)
    page.select_row(0)
    panel = page.evidence
    for widget in (panel.add_button, panel.open_button, panel.save_button, panel.remove_button, panel.table,
                   page.submit_button, page.table):
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget
    assert panel.table.viewport().height() >= 3 * 24  # three files show without scrolling
