"""The live draw ceremony on the sample county: the clerk's control window and the projector.

Walks a whole draw as a clerk and a presentation clicker would, checks the projector shows
exactly what the service committed, exports the package and verifies it, renders the
record; resumes a half-way draw; refuses a task held by another PC; saves a screenshot
of every projector step at 1024×768 — to tmp_path, or to $SSJ_SCREENSHOTS when set:

    SSJ_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/test_draw_ceremony.py -k screenshots
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from app.domain.statuses import DrawStatus
from app.domain.draw import verify_package
from app.domain.replacement import ReplacementReason
from app.services.draw import record as draw_record
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.ui.draw import control_window as control_module
from app.ui.draw import projector_view
from app.ui.draw.projector_view import PREPARE, REVEAL, SUBJECTS, TEAMS, WITNESSES
from app.services.accounts.users import DEMO_PASSWORD, create_demo_accounts
from tests.actors import CLERK2
from tests.ui.typing import type_text
from tests.ui.waiting import settle

OTHER_PC = replace(CLERK2, pc="市监局-PC2")


@pytest.fixture
def dialogs(monkeypatch):
    """Modal boxes answered as the clerk would; what they said is kept."""
    said = {"errors": [], "info": [], "previews": [], "questions": []}

    def question(_parent, _title, text, *args, **kwargs):
        said["questions"].append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(control_module, "show_error", lambda _p, exc, details="": said["errors"].append(str(exc)))
    monkeypatch.setattr(control_module.QMessageBox, "question", question)
    monkeypatch.setattr(control_module.QMessageBox, "information", lambda _p, _t, text: said["info"].append(text))
    monkeypatch.setattr(control_module.QMessageBox, "warning", lambda _p, _t, text: said["errors"].append(text))
    monkeypatch.setattr(control_module, "show_preview",
                        lambda _p, document, preview, title="": said["previews"].append(document))
    monkeypatch.setattr(control_module.templates, "print_preview", lambda document, progress=None: None)
    monkeypatch.setattr(projector_view, "ANIMATION_MS", 400)
    return said


def open_control(qtbot, main_window, task_index: int = 0):
    page = main_window.open_page("抽取")
    page.table.selectRow(task_index)
    window = page.open_control()
    qtbot.addWidget(window)
    qtbot.addWidget(window.projector)
    qtbot.waitUntil(lambda: window.spec is not None and not window.busy, timeout=10_000)
    return window


def press(qtbot, window, key=Qt.Key.Key_Space) -> None:
    QTest.keyClick(window.projector, key)
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)


def enter_witnesses(window, rows) -> None:
    for r, (name, org, digits) in enumerate(rows):
        if r >= window.witness_table.rowCount():
            window.add_witness_row()
        type_text(window.witness_edit(r, 0), name)
        type_text(window.witness_edit(r, 1), org)
        type_text(window.witness_edit(r, 2), digits)


def pages_of(qtbot, window) -> list[str]:
    """Every row the projector shows on the current screen, paging forward with the clicker."""
    shown = list(window.projector.visible_rows())
    while window.projector.page < window.projector.page_count() - 1:
        press(qtbot, window, Qt.Key.Key_PageDown)
        shown += window.projector.visible_rows()
    return shown


WITNESS_ROWS = [("张纪检", "县纪委监委派驻纪检组", "0123456789"), ("李代表", "县人大代表", "00098765432")]


def test_a_whole_ceremony_driven_by_the_clicker(qtbot, main_window, demo_context, dialogs, tmp_path, monkeypatch):
    window = open_control(qtbot, main_window)
    projector = window.projector
    assert window.next_button.text().startswith("开始抽取")

    # 准备: commitments are made and shown before any witness digit exists
    window.forward()
    qtbot.waitUntil(lambda: window.view is not None and not window.busy, timeout=10_000)
    view = window.view
    assert view.status == DrawStatus.PREPARED and projector.isVisible() and projector.screen_name == PREPARE
    # the task; nine input commitments and verify.py's hash on three pages; the program's commitment
    assert projector.page_count() == 5
    for _ in range(4):
        press(qtbot, window)
    assert projector.page == 4
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert projector.page == 3
    press(qtbot, window)
    press(qtbot, window)
    assert projector.screen_name == WITNESSES and window.panels.currentIndex() == 1

    # 见证人录入: digits are masked while typed; the projector only says who has entered
    enter_witnesses(window, WITNESS_ROWS[:1])
    assert window.witness_edit(0, 2).echoMode() == control_module.QLineEdit.EchoMode.Password
    entered = {w.name: w.entered for w in projector.witnesses}
    assert entered == {"张纪检": True}
    press(qtbot, window)  # nothing moves before the digits are locked
    assert window.view.status == DrawStatus.PREPARED and "锁定" in window.last_message
    press(qtbot, window, Qt.Key.Key_PageUp)  # back to the 准备 pages is allowed before the reveal
    assert projector.screen_name == PREPARE
    press(qtbot, window)
    assert projector.screen_name == WITNESSES
    enter_witnesses(window, [("", "", "")] + WITNESS_ROWS[1:])
    window.lock_button.click()
    qtbot.waitUntil(lambda: window.view.status == DrawStatus.WITNESSED and not window.busy, timeout=10_000)
    assert [w.digits for w in window.view.witnesses] == ["0123456789", "00098765432"]
    assert window.witness_edit(1, 2).echoMode() == control_module.QLineEdit.EchoMode.Normal

    # locked: the only way on is the reveal; abandoning is neither offered nor done when asked
    assert not window.abandon_button.isEnabled()
    window.abandon()
    assert window.view.status == DrawStatus.WITNESSED and "不能放弃" in window.last_message
    assert draws.get_draw(demo_context.db, window.view.id).status == DrawStatus.WITNESSED

    # 揭示: final from here; abandoning is no longer offered and PageUp does not go back
    press(qtbot, window)
    assert window.view.status == DrawStatus.REVEALED and projector.screen_name == REVEAL
    assert not window.abandon_button.isEnabled()
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert projector.screen_name == REVEAL

    # 抽取对象: animation (skipped by the clicker), then the list, paged
    press(qtbot, window)
    assert window.view.status == DrawStatus.SELECTED and projector.screen_name == SUBJECTS
    assert projector.animating
    press(qtbot, window)
    assert not projector.animating
    shown = pages_of(qtbot, window)
    committed = draws.get_draw(demo_context.db, window.view.id)
    expected = [s["name"] for s in draw_record.drawn_in_order(committed)]
    assert shown == expected and len(shown) == 10
    last = projector.page
    press(qtbot, window, Qt.Key.Key_PageUp)  # after the reveal, back only pages within the list
    assert projector.screen_name == SUBJECTS and projector.page == last - 1
    while projector.page < projector.page_count() - 1:
        press(qtbot, window)

    # 匹配人员 and 完成
    press(qtbot, window)
    assert window.view.status == DrawStatus.MATCHED and projector.screen_name == TEAMS
    teams = pages_of(qtbot, window)
    result = draws.get_draw(demo_context.db, window.view.id).result
    assert teams == [s["name"] for s in result["subjects"]]
    press(qtbot, window)
    assert window.view.status == DrawStatus.FINISHED and projector.screen_name == "完成"
    assert all(b.isEnabled() for b in (window.record_button, window.export_button))

    # the package, exported to a chosen folder, verifies on its own
    monkeypatch.setattr(control_module.QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    window.export_button.click()
    qtbot.waitUntil(lambda: bool(dialogs["info"]), timeout=20_000)
    assert "核验通过" in dialogs["info"][-1]
    assert verify_package(window.exported.folder).passed and verify_package(window.exported.zip).passed

    # the record, with the witnesses' names and the hashes shown before the draw
    type_text(window.place, "局三楼会议室")
    type_text(window.supervisor, "赵监督")
    window.record_button.click()
    qtbot.waitUntil(lambda: bool(dialogs["previews"]), timeout=20_000)
    text = "\n".join(cell.text for table in Document(str(dialogs["previews"][-1])).tables
                     for row in table.rows for cell in row.cells)
    assert "张纪检" in text and "局三楼会议室" in text and "赵监督" in text
    assert committed.public["commitments"]["subject_ids.txt"] in text
    assert not dialogs["errors"]


def test_esc_f11_and_black_screen_keys(qtbot, main_window, dialogs):
    window = open_control(qtbot, main_window)
    window.show_projector()
    focused = []
    window.projector.control_requested.connect(lambda: focused.append(True))
    QTest.keyClick(window.projector, Qt.Key.Key_Escape)
    assert focused
    QTest.keyClick(window.projector, Qt.Key.Key_F11)
    assert window.projector.isFullScreen()
    QTest.keyClick(window.projector, Qt.Key.Key_F11)
    assert not window.projector.isFullScreen()
    QTest.keyClick(window.projector, Qt.Key.Key_B)  # the clicker's black screen
    assert window.projector.blank
    QTest.keyClick(window.projector, Qt.Key.Key_PageDown)  # comes back where it was, without moving on
    assert not window.projector.blank and window.view is None and not window.busy


def test_abandon_before_the_reveal_needs_a_reason(qtbot, main_window, demo_context, dialogs, monkeypatch):
    window = open_control(qtbot, main_window)
    window.forward()
    qtbot.waitUntil(lambda: window.view is not None and not window.busy, timeout=10_000)
    draw_id = window.view.id
    monkeypatch.setattr(control_module.QInputDialog, "getMultiLineText", lambda *a, **k: ("", True))
    window.abandon_button.click()
    qtbot.waitUntil(lambda: not window.busy)
    assert dialogs["errors"] and "原因" in dialogs["errors"][-1]
    assert draws.get_draw(demo_context.db, draw_id).status == DrawStatus.PREPARED
    monkeypatch.setattr(control_module.QInputDialog, "getMultiLineText", lambda *a, **k: ("见证人未到场，改期抽取", True))
    window.abandon_button.click()
    qtbot.waitUntil(lambda: window.view is None and not window.busy)
    assert draws.live_draw(demo_context.db, window.spec.task_id) is None


def test_a_half_way_draw_is_offered_for_resuming_at_its_step(qtbot, main_window, demo_context, dialogs):
    db = demo_context.db
    task = draws.task_draw_states(db)[1]
    started = draws.start_draw(db, demo_context.actor, task.id)
    draws.record_witnesses(db, demo_context.actor, started.id, [Witness(*row) for row in WITNESS_ROWS])
    draws.reveal(db, demo_context.actor, started.id)
    page = main_window.open_page("抽取")
    assert "未完成" in page.live_hint.text() and task.number in page.live_hint.text()
    window = page.open_control()
    qtbot.addWidget(window)
    qtbot.addWidget(window.projector)
    qtbot.waitUntil(lambda: window.view is not None and not window.busy, timeout=10_000)
    assert "已揭示" in dialogs["questions"][-1]
    assert window.view.id == started.id and window.projector.screen_name == REVEAL
    for _ in range(2):
        press(qtbot, window)
    assert window.view.status == DrawStatus.SELECTED
    press(qtbot, window)
    assert window.view.status == DrawStatus.MATCHED


def test_a_task_held_by_another_pc_is_refused_naming_the_holder(qtbot, main_window, demo_context, dialogs,
                                                                monkeypatch):
    db = demo_context.db
    window = open_control(qtbot, main_window)
    draws.start_draw(db, OTHER_PC, window.spec.task_id)  # the other PC is quicker
    window.forward()
    qtbot.waitUntil(lambda: bool(dialogs["errors"]), timeout=10_000)
    assert draws.machine_holder(OTHER_PC) in dialogs["errors"][-1]
    assert window.view is None


def test_replacements_after_the_draw_print_on_an_addendum(qtbot, main_window, demo_context, dialogs, monkeypatch):
    db = demo_context.db
    task = draws.task_draw_states(db)[0]
    draws.run_draw(db, demo_context.actor, task.id, [Witness(*row) for row in WITNESS_ROWS], "",
                   Path(demo_context.db.url.split("///")[-1]).parent / "首次验证包")
    window = open_control(qtbot, main_window)
    assert window.view.status == DrawStatus.FINISHED
    gone = window.view.result["subjects"][0]

    create_demo_accounts(db)  # the 监督员 who confirms: jijian

    def confirm(dialog) -> bool:
        dialog.supervisor_user.setText("jijian")
        dialog.supervisor_password.setText(DEMO_PASSWORD)
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    def accept(dialog):
        dialog.choose_reason(ReplacementReason.DEREGISTERED)
        return confirm(dialog)

    monkeypatch.setattr(control_module.ReplacementDialog, "exec", accept)
    window.replace_subject_button.click()
    qtbot.waitUntil(lambda: bool(window.view.replacements) and not window.busy, timeout=10_000)
    assert gone["id"] not in {s["id"] for s in window.view.result["subjects"]}
    team = window.view.result["teams"][1]
    leaving = team["members"][0]

    def avoid(dialog):
        dialog.target.setCurrentIndex(dialog.target.findData(leaving["id"]))
        dialog.team.setCurrentIndex(dialog.team.findData(team["label"]))
        dialog.choose_reason(ReplacementReason.RECUSAL, "与检查对象有利害关系")
        return confirm(dialog)

    monkeypatch.setattr(control_module.ReplacementDialog, "exec", avoid)
    window.replace_inspector_button.click()
    qtbot.waitUntil(lambda: len(window.view.replacements) == 2 and not window.busy, timeout=10_000)
    after = next(t for t in window.view.result["teams"] if t["label"] == team["label"])
    assert leaving["id"] not in {m["id"] for m in after["members"]} and len(after["members"]) == len(team["members"])
    window.record_button.click()
    qtbot.waitUntil(lambda: bool(dialogs["previews"] or dialogs["errors"]), timeout=20_000)
    assert not dialogs["errors"]
    document = Document(str(dialogs["previews"][-1]))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "补充页" in text and "已注销/吊销" in cells and gone["id"] in cells
    assert "回避：与检查对象有利害关系" in cells and leaving["name"] in cells
    assert not dialogs["errors"]


def test_screenshots_of_every_projector_step(qtbot, main_window, dialogs, tmp_path):
    """draw-*.png at 1024×768, one per step (looked at by a person, not asserted)."""
    folder = Path(os.environ.get("SSJ_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    main_window.resize(1200, 760)
    window = open_control(qtbot, main_window)
    settle(60)
    main_window.grab().save(str(folder / "draw-page.png"))
    projector = window.projector
    projector.showNormal()
    projector.resize(1024, 768)

    def shot(name: str) -> None:
        settle(60)
        assert projector.width() == 1024 and projector.height() == 768
        projector.grab().save(str(folder / f"draw-{name}.png"))

    window.forward()
    qtbot.waitUntil(lambda: window.view is not None and not window.busy, timeout=10_000)
    shot("1-prepare-task")
    press(qtbot, window)
    shot("2-prepare-inputs")
    press(qtbot, window)
    shot("2-prepare-inputs-2")
    press(qtbot, window)
    shot("2-prepare-inputs-3")  # attempts.tsv and verify.py's own hash
    press(qtbot, window)
    shot("3-prepare-commitment")
    press(qtbot, window)
    enter_witnesses(window, WITNESS_ROWS[:1] + [("李代表", "县人大代表", "")])
    shot("4-witnesses-entering")
    window.resize(1100, 760)
    settle(60)
    window.grab().save(str(folder / "draw-control-witnesses.png"))
    type_text(window.witness_edit(1, 2), WITNESS_ROWS[1][2])
    window.lock_button.click()
    qtbot.waitUntil(lambda: window.view.status == DrawStatus.WITNESSED and not window.busy, timeout=10_000)
    shot("5-witnesses-locked")
    press(qtbot, window)
    shot("6-reveal")
    press(qtbot, window)
    shot("7-subjects-animation")
    press(qtbot, window)
    shot("8-subjects")
    press(qtbot, window)
    shot("9-subjects-page-2")
    press(qtbot, window)
    shot("10-teams")
    while projector.page < projector.page_count() - 1:
        press(qtbot, window)
    press(qtbot, window)
    shot("11-done")
    window.resize(1100, 760)
    settle(60)
    window.grab().save(str(folder / "draw-control-window.png"))


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
def test_projector_qr_codes_decode_to_the_hashes(qtbot, tmp_path):
    """The QR codes on the projector carry exactly the hash printed beside them."""
    value = "17e2e8c65886e0a2af78032def1431cd3284b9ca38434fe81a06e30bbd715664"
    path = tmp_path / "qr.png"
    projector_view.qr_image(value, 110).save(str(path))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == value


def test_painting_the_projector_does_not_drain_references_to_none(qtbot, demo_context):
    """PySide6 6.12.0 drops a reference to None per void Qt call, which aborts Python 3.11 within
    minutes of a live projector (pyproject.toml keeps it out); a regression shows here first."""
    db = demo_context.db
    view = draws.start_draw(db, demo_context.actor, draws.task_draw_states(db)[0].id)
    projector = projector_view.ProjectorView()
    qtbot.addWidget(projector)
    projector.set_view(view)
    projector.page = 1  # five hashes with QR codes: the busiest page
    projector.grab()
    before = sys.getrefcount(None)
    for _ in range(20):
        projector.grab()
    assert sys.getrefcount(None) >= before - 5  # 6.12.0 loses about 150 per frame


def test_declining_to_resume_leaves_the_draw_as_it_was_and_says_so(qtbot, main_window, demo_context, dialogs,
                                                                    monkeypatch):
    db = demo_context.db
    task = draws.task_draw_states(db)[0]
    started = draws.start_draw(db, OTHER_PC, task.id)
    monkeypatch.setattr(control_module.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = open_control(qtbot, main_window)
    assert window.view is None and draws.machine_holder(OTHER_PC) in window.status_label.text()
    assert draws.get_draw(db, started.id).status == DrawStatus.PREPARED


@pytest.mark.parametrize("task_index", [1, 2], ids=["risk-stratified", "joint"])
def test_stratified_and_joint_tasks_show_every_subject_and_team(qtbot, main_window, demo_context, dialogs,
                                                                task_index):
    window = open_control(qtbot, main_window, task_index)
    window.forward()
    qtbot.waitUntil(lambda: window.view is not None and not window.busy, timeout=10_000)
    for _ in range(3):
        press(qtbot, window)
    enter_witnesses(window, WITNESS_ROWS)
    window.lock_button.click()
    qtbot.waitUntil(lambda: window.view.status == DrawStatus.WITNESSED and not window.busy, timeout=10_000)
    press(qtbot, window)
    press(qtbot, window)
    press(qtbot, window)  # skips the animation
    assert pages_of(qtbot, window) == [s["name"] for s in draw_record.drawn_in_order(window.view)]
    press(qtbot, window)
    result = window.view.result
    assert pages_of(qtbot, window) == [s["name"] for s in result["subjects"]]
    if task_index == 2:
        assert all(len({m["department"] for m in t["members"]}) == 2 for t in result["teams"])
