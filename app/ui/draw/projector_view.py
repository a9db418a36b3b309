"""投影: what the room sees of a draw, full screen on the projector, driven by a clicker.

Painted rather than laid out with widgets, so nothing can ever grow a scroll bar: long
lists are cut into pages that fit the screen, and every size follows the window
(1024×768 is the design size: names at 40 px, never below 32 px; white and yellow on
a dark background).

Keys: Space, Enter, PageDown, →, ↓ forward (the next page, else the next step);
PageUp, ←, ↑ back (before the reveal between the 准备 pages and the witnesses; after it
only pages within the current list); F11 full screen on/off; B or . (a clicker's "black
screen" button) blanks the screen and back; Esc back to the control window. The window only shows what the control window hands it — it never asks a
service for anything and cannot change a draw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QKeyEvent, QPainter
from PySide6.QtWidgets import QWidget

from app.documents.qr import qr_matrix
from app.domain.draw.protocol import secret_commitment
from app.services.draw.record import drawn_in_order, input_label, team_names
from app.domain.statuses import DrawStatus
from app.services.draw.ceremony import DrawView

STEPS = ("准备", "见证人录入", "揭示", "抽取对象", "匹配人员", "完成")
PREPARE, WITNESSES, REVEAL, SUBJECTS, TEAMS, DONE = STEPS
#: the projector screen that shows a draw at each stored status
SCREEN_OF_STATUS = {DrawStatus.PREPARED: PREPARE, DrawStatus.WITNESSED: WITNESSES, DrawStatus.REVEALED: REVEAL,
                    DrawStatus.SELECTED: SUBJECTS, DrawStatus.MATCHED: TEAMS, DrawStatus.FINISHED: DONE}
FORWARD_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_PageDown, Qt.Key.Key_Right,
                Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up}

BACKGROUND = QColor("#0d1620")
PANEL = QColor("#18283a")
WHITE = QColor("#ffffff")
YELLOW = QColor("#ffd54a")
MUTED = QColor("#c5d3e0")  # still > 9:1 against the background
DIM = QColor("#7f92a6")  # only for steps not reached and key hints
GREEN = QColor("#7be495")
FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC",
                 "sans-serif"]
MONO_FAMILIES = ["Consolas", "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "monospace"]
NAME_PX, MIN_NAME_PX = 40, 32  # at 1024×768
ANIMATION_MS = 2400
INPUTS_PER_PAGE = 4


@dataclass(frozen=True)
class TaskInfo:
    """What the 准备 screen says about the task (from the task's draw spec)."""

    number: str
    name: str
    items: tuple[str, ...] = ()
    scope: str = ""
    eligible: int = 0
    excluded: int = 0
    quota: str = ""  # e.g. "10 户" or per stratum
    teams: str = ""  # e.g. "每组 2 人，每个检查对象一个检查组"
    departments: tuple[str, ...] = ()


@dataclass
class WitnessEntry:
    name: str
    organisation: str = ""
    entered: bool = False


@dataclass
class _Row:
    """One painted row of a list page: a big line and an optional smaller second line."""

    number: str
    main: str
    detail: str = ""
    highlight: str = ""  # drawn in yellow at the start of the second line (the leader)


def qr_image(text: str, size: int) -> QImage:
    """A QR code of ``text`` as a crisp black-on-white image ``size`` pixels wide.

    A QImage, not a QPixmap: a cached QPixmap outliving the QApplication aborts Python at exit.
    """
    matrix = qr_matrix(text, border=2)
    n = len(matrix)
    image = QImage(n, n, QImage.Format.Format_RGB32)
    black = QColor("black")
    image.fill(QColor("white"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.setPixelColor(x, y, black)
    side = max(n, size)  # nearest-neighbour scaling: modules stay sharp (a pixel uneven at most)
    return image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


def grouped(hex_text: str, per_line: int = 32) -> list[str]:
    """A 64-digit hash as two lines of four-digit groups (easier to read aloud and compare)."""
    lines = [hex_text[i:i + per_line] for i in range(0, len(hex_text), per_line)] or [""]
    return [" ".join(line[i:i + 4] for i in range(0, len(line), 4)) for line in lines]


class ProjectorView(QWidget):
    advance_requested = Signal()  # forward pressed at the end of a screen: the control window decides
    control_requested = Signal()  # Esc: back to the control window
    screen_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("双随机抽取 — 投影")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), BACKGROUND)
        self.setPalette(palette)
        self.setMinimumSize(640, 480)
        self.resize(1024, 768)
        self.task: TaskInfo | None = None
        self.view: DrawView | None = None
        self.witnesses: list[WitnessEntry] = []
        self.screen_name = PREPARE
        self.page = 0
        self.message = ""  # a short line at the bottom, e.g. 正在揭示…
        self.blank = False  # a clicker's black-screen button
        self._qr_cache: dict[tuple[str, int], QImage] = {}
        self._animation = QTimer(self)
        self._animation.setInterval(70)
        self._animation.timeout.connect(self._animation_tick)
        self._animation_clock = QElapsedTimer()
        self._animation_text: list[str] = []

    # ------------------------------------------------------------------ what to show
    def set_task(self, task: TaskInfo | None) -> None:
        self.task = task
        self.update()

    def set_view(self, view: DrawView | None, screen: str | None = None, animate: bool = False) -> None:
        """Show a draw (as committed) on the screen for its status, or on ``screen``."""
        self.view = view
        target = screen or (SCREEN_OF_STATUS.get(view.status, PREPARE) if view else PREPARE)
        if target != self.screen_name:
            self.page = 0
        self.screen_name = target
        self.page = min(self.page, self.page_count() - 1)
        self.message = ""
        if animate and target == SUBJECTS:
            self._start_animation()
        else:
            self._stop_animation()
        self.update()
        self.screen_changed.emit(target)

    def show_screen(self, screen: str) -> None:
        self.set_view(self.view, screen)

    def set_witness_progress(self, entries: list[WitnessEntry]) -> None:
        self.witnesses = list(entries)
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    @property
    def revealed(self) -> bool:
        return bool(self.view and self.view.revealed)

    @property
    def animating(self) -> bool:
        return self._animation.isActive()

    # ------------------------------------------------------------------ keys and paging
    def forward(self) -> None:
        """Next page, or skip the animation; at the end of a screen ask the control window."""
        if self.blank:  # after a black screen the next press only brings the screen back
            self.blank = False
        elif self.animating:
            self._stop_animation()
        elif self.page < self.page_count() - 1:
            self.page += 1
        else:
            self.advance_requested.emit()
        self.update()

    def back(self) -> None:
        if self.blank:
            self.blank = False
        elif self.animating:
            return
        elif self.page > 0:
            self.page -= 1
        elif not self.revealed and self.screen_name == WITNESSES:
            self.screen_name = PREPARE
            self.page = self.page_count() - 1
            self.screen_changed.emit(PREPARE)
        self.update()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.unsetCursor()
        else:
            self.enter_full_screen()

    def enter_full_screen(self) -> None:
        self.showFullScreen()
        self.setCursor(Qt.CursorShape.BlankCursor)  # no mouse pointer over the names

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 — Qt naming
        key = event.key()
        if key in (Qt.Key.Key_B, Qt.Key.Key_Period):
            self.blank = not self.blank
            self.update()
        elif key in FORWARD_KEYS:
            self.forward()
        elif key in BACK_KEYS:
            self.back()
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_Escape:
            self.control_requested.emit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 — a click on the screen is a clicker press too
        if event.button() == Qt.MouseButton.LeftButton:
            self.forward()
        elif event.button() == Qt.MouseButton.RightButton:
            self.back()

    # ------------------------------------------------------------------ geometry
    @property
    def scale(self) -> float:
        return max(0.5, min(self.width() / 1024, self.height() / 768))

    def px(self, value: float) -> int:
        return max(1, round(value * self.scale))

    def _font(self, size: float, bold: bool = False, mono: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(MONO_FAMILIES if mono else FONT_FAMILIES)
        font.setPixelSize(self.px(size))
        font.setBold(bold)
        return font

    def _body(self) -> QRectF:
        margin = self.px(40)
        return QRectF(margin, self.px(118), self.width() - 2 * margin, self.height() - self.px(118) - self.px(78))

    def _row_height(self) -> float:
        return {SUBJECTS: self.px(86), TEAMS: self.px(104), WITNESSES: self.px(100)}.get(self.screen_name, 1)

    def rows_per_page(self) -> int:
        body = self._body()
        height = body.height() - (self.px(56) if self.screen_name == WITNESSES else 0)
        return max(1, int(height // self._row_height()))

    def _rows(self) -> list[_Row]:
        view = self.view
        if view is None:
            return []
        if self.screen_name == SUBJECTS:
            strata = {s["stratum"] for s in view.selection}
            rows = []
            for n, s in enumerate(drawn_in_order(view), start=1):
                detail = s["id"] + (f"　　{s['stratum']}" if len(strata) > 1 else "")
                rows.append(_Row(str(n), s["name"], detail))
            return rows
        if self.screen_name == TEAMS and view.result:
            labels = team_names(view)
            names = {s["id"]: s["name"] for s in view.result["subjects"]}
            rows = []
            for team in view.result["teams"]:
                leader = next((m["name"] for m in team["members"] if m["id"] == team["leader"]), "")
                members = "、".join(m["name"] for m in team["members"] if m["id"] != team["leader"])
                subjects = "、".join(names.get(s, s) for s in team["subjects"]) or "（待分配）"
                rows.append(_Row(labels[team["label"]], subjects, f"组员 {members}", f"组长 {leader}"))
            unmatched = [s for s in view.result["subjects"] if not s["team"]]
            for s in unmatched:
                rows.append(_Row("—", s["name"], "未能配齐检查组，将按规定替换", ""))
            return rows
        return []

    def page_count(self) -> int:
        if self.screen_name == PREPARE:
            return len(self._prepare_pages())  # no commitments before 开始抽取
        if self.screen_name in (SUBJECTS, TEAMS):
            rows = len(self._rows())
            return max(1, -(-rows // self.rows_per_page()))
        if self.screen_name == WITNESSES:
            return max(1, -(-len(self._witness_rows()) // self.rows_per_page()))
        return 1

    def visible_rows(self) -> list[str]:
        """The main line of each row on the current page (what the room reads)."""
        if self.screen_name in (SUBJECTS, TEAMS):
            if self.animating:
                return []
            per = self.rows_per_page()
            return [r.main for r in self._rows()[self.page * per:(self.page + 1) * per]]
        if self.screen_name == WITNESSES:
            per = self.rows_per_page()
            return [w.name for w in self._witness_rows()[self.page * per:(self.page + 1) * per]]
        return []

    # ------------------------------------------------------------------ animation
    def _start_animation(self) -> None:
        self._animation_clock.start()
        self._animation_tick()
        self._animation.start()

    def _stop_animation(self) -> None:
        self._animation.stop()
        self.update()

    def _animation_tick(self) -> None:
        if self._animation_clock.elapsed() >= ANIMATION_MS:
            self._stop_animation()
            return
        self._animation_text = [f"{random.getrandbits(128):032x}" for _ in range(6)]
        self.update()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802 — Qt naming
        self._paint()

    def _paint(self) -> None:
        p = QPainter(self)
        if self.blank:
            p.fillRect(self.rect(), QColor("black"))
            p.end()
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        self._paint_header(p)
        body = self._body()
        if self.view is None and self.task is None:
            self._text(p, body, "等待开始抽取", 48, YELLOW, bold=True, flags=Qt.AlignmentFlag.AlignCenter)
        else:
            paint = {PREPARE: self._paint_prepare, WITNESSES: self._paint_witnesses, REVEAL: self._paint_reveal,
                     SUBJECTS: self._paint_subjects, TEAMS: self._paint_teams, DONE: self._paint_done}
            paint[self.screen_name](p, body)
        self._paint_footer(p)
        p.end()

    def _text(self, p: QPainter, rect: QRectF, text: str, size: float, colour: QColor = WHITE, bold: bool = False,
              mono: bool = False, flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
              wrap: bool = False, min_size: float | None = None) -> float:
        """Draw text in rect; shrink to min_size if it does not fit, then elide. Returns the width used."""
        font = self._font(size, bold, mono)
        if min_size is not None and not wrap:
            while QFontMetrics(font).horizontalAdvance(text) > rect.width() and font.pixelSize() > self.px(min_size):
                font.setPixelSize(font.pixelSize() - 1)
        metrics = QFontMetrics(font)
        if not wrap:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        p.setFont(font)
        p.setPen(colour)
        p.drawText(rect, int(flags) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0), text)
        return metrics.horizontalAdvance(text)

    def _paint_header(self, p: QPainter) -> None:
        margin = self.px(40)
        title = {PREPARE: ("抽取准备", "任务、范围与抽取前公布的承诺", "输入承诺", "程序承诺"),
                 WITNESSES: ("见证人录入随机数字",), REVEAL: ("揭示种子",), SUBJECTS: ("抽取检查对象",),
                 TEAMS: ("匹配检查人员",), DONE: ("抽取完成",)}[self.screen_name]
        heading = title[0]
        if self.screen_name == PREPARE and 0 < self.page < self.page_count() - 1:
            parts = self.page_count() - 2
            heading = f"输入承诺（{self.page}/{parts}）" if parts > 1 else "抽取前公布的输入承诺"
        elif self.screen_name == PREPARE and self.page > 0:
            heading = "程序秘密值的承诺"
        self._text(p, QRectF(margin, self.px(14), self.width() * 0.55, self.px(58)), heading, 42, YELLOW, bold=True)
        task = self.task
        label = f"{task.number}" if task else (self.view.task_number if self.view else "")
        self._text(p, QRectF(self.width() * 0.55, self.px(14), self.width() * 0.45 - margin, self.px(58)), label, 26,
                   MUTED, flags=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        name = task.name if task else (self.view.task_name if self.view else "")
        self._text(p, QRectF(margin, self.px(70), self.width() - 2 * margin, self.px(40)), name, 28, WHITE,
                   min_size=22)
        p.fillRect(QRectF(margin, self.px(112), self.width() - 2 * margin, max(2, self.px(3))), YELLOW)

    def _paint_footer(self, p: QPainter) -> None:
        margin = self.px(40)
        top = self.height() - self.px(70)
        p.fillRect(QRectF(0, top - self.px(6), self.width(), self.height() - top + self.px(6)), PANEL)
        x = margin
        current = STEPS.index(self.screen_name)
        for i, step in enumerate(STEPS):
            colour = YELLOW if i == current else (WHITE if i < current else DIM)
            width = self._text(p, QRectF(x, top, self.width(), self.px(40)), step, 24, colour, bold=i == current)
            x += width + self.px(10)
            if i < len(STEPS) - 1:
                x += self._text(p, QRectF(x, top, self.px(30), self.px(40)), "›", 24, DIM) + self.px(10)
        right = []
        if self.page_count() > 1:
            right.append(f"第 {self.page + 1}/{self.page_count()} 页")
        self._text(p, QRectF(x, top, self.width() - x - margin, self.px(40)), "　".join(right), 26, WHITE, bold=True,
                   flags=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hint = self.message or ("空格／翻页键：继续" + ("　上翻：返回" if not self.revealed else ""))
        self._text(p, QRectF(margin, top + self.px(36), self.width() - 2 * margin, self.px(30)), hint, 18,
                   YELLOW if self.message else DIM)

    # -- 准备
    def _prepare_pages(self) -> list:
        """The task, the input commitments (four to a page, legible from the back of the room),
        then the program's commitment."""
        if self.view is None:
            return [self._prepare_overview]
        parts = -(-len(self._commitments()) // INPUTS_PER_PAGE)
        return [self._prepare_overview, *(partial(self._prepare_inputs, k) for k in range(parts)),
                self._prepare_commitment]

    def _paint_prepare(self, p: QPainter, body: QRectF) -> None:
        self._prepare_pages()[self.page](p, body)

    def _prepare_overview(self, p: QPainter, body: QRectF) -> None:
        task = self.task
        view = self.view
        lines: list[tuple[str, str]] = []
        if task:
            if task.items:
                lines.append(("抽查事项", "、".join(task.items)))
            lines.append(("检查对象范围", task.scope or "全部检查对象"))
            if task.departments:
                lines.append(("联合抽查部门", "、".join(task.departments)))
        population = view.population if view else (task.eligible if task else 0)
        excluded = view.exclusions if view else (task.excluded if task else 0)
        lines.append(("可抽取对象", f"{population:,} 户" + (f"（另有 {excluded:,} 户不参与，原因逐户公布）"
                                                        if excluded else "")))
        if task and task.quota:
            lines.append(("抽取数量", task.quota))
        if task and task.teams:
            lines.append(("检查组", task.teams))
        if view and view.attempts:
            last = view.attempts[-1]
            lines.append(("此前放弃的抽取", f"{len(view.attempts)} 次（最近一次：{last.reason}），"
                                           "每次的时间、人员、承诺和原因已计入输入承诺"))
        y = body.top() + self.px(10)
        label_width = self.px(200)
        for label, value in lines:
            self._text(p, QRectF(body.left(), y, label_width, self.px(50)), label, 28, MUTED)
            rect = QRectF(body.left() + label_width, y, body.width() - label_width, body.bottom() - y)
            font = self._font(32)
            used = QFontMetrics(font).boundingRect(rect.toRect(), int(Qt.TextFlag.TextWordWrap), value).height()
            used = min(max(used, self.px(50)), self.px(130))
            self._text(p, QRectF(rect.left(), y, rect.width(), used), value, 32, WHITE, wrap=True,
                       flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            y += used + self.px(14)
        if view is None:
            self._text(p, QRectF(body.left(), body.bottom() - self.px(50), body.width(), self.px(50)),
                       "尚未生成承诺：请在控制窗口点“开始抽取”", 28, YELLOW)

    def _commitments(self) -> list[tuple[str, str]]:
        if self.view is None:
            return []
        return [(input_label(k), v) for k, v in self.view.public["commitments"].items() if k != "secret_commitment"]

    def _qr(self, text: str, size: int) -> QImage:
        key = (text, size)
        if key not in self._qr_cache:
            self._qr_cache[key] = qr_image(text, size)
        return self._qr_cache[key]

    def _hash_block(self, p: QPainter, rect: QRectF, label: str, value: str, size: float, colour: QColor,
                    qr: int) -> None:
        pixmap = self._qr(value, qr)
        p.drawImage(int(rect.right() - pixmap.width()), int(rect.top() + (rect.height() - pixmap.height()) / 2),
                    pixmap)
        width = rect.width() - pixmap.width() - self.px(20)
        label_height = self.px(size * 1.1)
        self._text(p, QRectF(rect.left(), rect.top(), width, label_height), label, 26, MUTED)
        y = rect.top() + label_height
        for line in grouped(value):
            self._text(p, QRectF(rect.left(), y, width, self.px(size * 1.25)), line, size, colour, mono=True,
                       min_size=size * 0.7)
            y += self.px(size * 1.25)

    def _prepare_inputs(self, part: int, p: QPainter, body: QRectF) -> None:
        first = part * INPUTS_PER_PAGE
        items = self._commitments()[first:first + INPUTS_PER_PAGE]
        height = body.height() / INPUTS_PER_PAGE
        qr = int(min(height - self.px(6), self.px(150)))
        for i, (label, value) in enumerate(items):
            rect = QRectF(body.left(), body.top() + i * height, body.width(), height)
            self._hash_block(p, rect.adjusted(0, self.px(2), 0, -self.px(2)), f"{first + i + 1}. {label}（SHA-256）",
                             value, 29, WHITE, qr)

    def _prepare_commitment(self, p: QPainter, body: QRectF) -> None:
        if self.view is None:
            self._text(p, body, "尚未生成承诺", 36, YELLOW, flags=Qt.AlignmentFlag.AlignCenter)
            return
        value = self.view.public["commitments"]["secret_commitment"]
        self._text(p, QRectF(body.left(), body.top() + self.px(12), body.width(), self.px(100)),
                   "程序已用操作系统的安全随机数生成 256 位秘密值。现在公布它的承诺（SHA-256），"
                   "揭示时任何人都可以核对秘密值与此一致——程序事后无法更换秘密值。", 26, WHITE, wrap=True)
        rect = QRectF(body.left(), body.top() + self.px(120), body.width(), self.px(230))
        self._hash_block(p, rect, "程序承诺", value, 34, YELLOW, self.px(220))
        self._text(p, QRectF(body.left(), rect.bottom() + self.px(20), body.width(), self.px(60)),
                   "下一步：见证人当场输入随机数字（至少 20 位），锁定后才揭示秘密值；"
                   "数字一经锁定，这次抽取只能揭示，不能放弃重来。", 26, MUTED, wrap=True)

    # -- 见证人录入
    def _witness_rows(self) -> list[WitnessEntry]:
        if self.view is not None and self.view.witnesses:
            return [WitnessEntry(w.name, w.organisation, True) for w in self.view.witnesses]
        return list(self.witnesses)

    def _paint_witnesses(self, p: QPainter, body: QRectF) -> None:
        locked = bool(self.view and self.view.witnesses)
        rows = self._witness_rows()
        intro = ("全部见证人已输入，随机数字已锁定并公布：" if locked else
                 "见证人在控制电脑上输入随机数字；全部输入前不显示任何数字。")
        self._text(p, QRectF(body.left(), body.top(), body.width(), self.px(50)), intro, 26,
                   GREEN if locked else MUTED)
        if not rows:
            self._text(p, QRectF(body.left(), body.top() + self.px(60), body.width(), self.px(80)),
                       "等待见证人输入…", 40, YELLOW, bold=True)
            return
        per = self.rows_per_page()
        digits = {i: w.digits for i, w in enumerate(self.view.witnesses)} if locked else {}
        y = body.top() + self.px(56)
        height = self._row_height()
        for index in range(self.page * per, min(len(rows), (self.page + 1) * per)):
            entry = rows[index]
            name_width = body.width() * 0.42
            self._text(p, QRectF(body.left(), y, name_width, height * 0.58), entry.name, NAME_PX, WHITE, bold=True,
                       min_size=MIN_NAME_PX)
            self._text(p, QRectF(body.left(), y + height * 0.56, name_width, height * 0.38), entry.organisation, 24,
                       MUTED)
            right = QRectF(body.left() + name_width + self.px(20), y, body.width() - name_width - self.px(20),
                           height * 0.9)
            if locked:
                self._text(p, right, digits.get(index, ""), 38, YELLOW, bold=True, mono=True, min_size=24)
            elif entry.entered:
                self._text(p, right, "✔ 已输入　●●●●●●", 34, GREEN, bold=True)
            else:
                self._text(p, right, "等待输入…", 34, DIM)
            y += height
        if locked and self.view.public.get("beacon"):
            self._text(p, QRectF(body.left(), body.bottom() - self.px(40), body.width(), self.px(40)),
                       f"公开信标：{self.view.public['beacon']}", 22, MUTED, mono=True)
        elif locked:
            total = sum(len(w.digits) for w in self.view.witnesses)
            self._text(p, QRectF(body.left(), body.bottom() - self.px(40), body.width(), self.px(40)),
                       f"随机数字共 {total} 位。下一步：揭示程序秘密值，计算种子。", 24, MUTED)

    # -- 揭示
    def _paint_reveal(self, p: QPainter, body: QRectF) -> None:
        public = self.view.public if self.view else {}
        secret, seed = public.get("secret", ""), public.get("seed", "")
        if not seed:
            self._text(p, body, "等待揭示…", 48, YELLOW, bold=True, flags=Qt.AlignmentFlag.AlignCenter)
            return
        ok = secret_commitment(bytes.fromhex(secret)).hex() == public["commitments"]["secret_commitment"]
        y = body.top()
        self._text(p, QRectF(body.left(), y, body.width(), self.px(40)), "程序秘密值（揭示）", 26, MUTED)
        y += self.px(42)
        for line in grouped(secret):
            self._text(p, QRectF(body.left(), y, body.width(), self.px(40)), line, 30, WHITE, mono=True, min_size=22)
            y += self.px(40)
        self._text(p, QRectF(body.left(), y + self.px(4), body.width(), self.px(44)),
                   "✔ 与抽取前公布的程序承诺一致" if ok else "✘ 与公布的承诺不一致！请停止抽取",
                   30, GREEN if ok else YELLOW, bold=True)
        y += self.px(64)
        qr = self.px(190)
        rect = QRectF(body.left(), y, body.width(), max(qr + self.px(10), self.px(150)))
        self._hash_block(p, rect, "最终种子 = SHA-256（输入承诺 + 见证人数字 + 秘密值 + 信标）", seed, 32, YELLOW, qr)
        self._text(p, QRectF(body.left(), rect.bottom() + self.px(16), body.width(), self.px(80)),
                   "种子由事先公布的输入、见证人的数字和程序秘密值共同决定，任何一方都无法单独左右。"
                   "下一步：用种子为每户计算抽取号。", 24, MUTED, wrap=True)

    # -- 抽取对象 and 匹配人员
    def _paint_subjects(self, p: QPainter, body: QRectF) -> None:
        if self.animating:
            self._paint_animation(p, body)
            return
        self._paint_rows(p, body, self._rows(), f"抽中检查对象 {len(self._rows())} 户（按抽取号从小到大）")

    def _paint_animation(self, p: QPainter, body: QRectF) -> None:
        population = self.view.population if self.view else 0
        self._text(p, QRectF(body.left(), body.top(), body.width(), self.px(60)),
                   f"正在为 {population:,} 户可抽取对象计算抽取号…", 36, WHITE, bold=True)
        y = body.top() + self.px(80)
        for line in self._animation_text:
            self._text(p, QRectF(body.left(), y, body.width(), self.px(56)), line, 36, DIM, mono=True, min_size=20)
            y += self.px(60)
        self._text(p, QRectF(body.left(), body.bottom() - self.px(44), body.width(), self.px(44)),
                   "抽取号最小的当选。按空格键跳过动画", 24, MUTED)

    def _paint_teams(self, p: QPainter, body: QRectF) -> None:
        rows = self._rows()
        teams = len(self.view.result["teams"]) if self.view and self.view.result else 0
        self._paint_rows(p, body, rows, f"{teams} 个检查组，组长为组内抽取号最小的可任组长人员")

    def _paint_rows(self, p: QPainter, body: QRectF, rows: list[_Row], caption: str) -> None:
        self._text(p, QRectF(body.left(), body.top() - self.px(4), body.width(), self.px(36)), caption, 22, MUTED)
        per = self.rows_per_page()
        height = self._row_height()
        y = body.top() + self.px(34)
        number_width = self.px(110) if self.screen_name == TEAMS else self.px(70)
        for row in rows[self.page * per:(self.page + 1) * per]:
            self._text(p, QRectF(body.left(), y, number_width, height * 0.55), row.number, 34, YELLOW, bold=True)
            left = body.left() + number_width
            width = body.width() - number_width
            self._text(p, QRectF(left, y, width, height * 0.55), row.main, NAME_PX, WHITE, bold=True,
                       min_size=MIN_NAME_PX)
            second = QRectF(left, y + height * 0.52, width, height * 0.42)
            if row.highlight:
                used = self._text(p, second, row.highlight, 34, YELLOW, bold=True)
                second = second.adjusted(used + self.px(28), 0, 0, 0)
                self._text(p, second, row.detail, 34, WHITE, min_size=MIN_NAME_PX)
            else:
                self._text(p, second, row.detail, 24, MUTED)
            y += height

    # -- 完成
    def _paint_done(self, p: QPainter, body: QRectF) -> None:
        view = self.view
        if view is None or view.result is None:
            return
        subjects, teams = len(view.result["subjects"]), len(view.result["teams"])
        lines = [
            (f"从 {view.population:,} 户可抽取对象中抽中 {subjects} 户", 40, WHITE, True),
            (f"组成 {teams} 个检查组，每组至少 2 名执法人员", 36, WHITE, False),
            (f"见证人：{'、'.join(w.name for w in view.witnesses)}", 32, WHITE, False),
            (f"最终种子：{view.public.get('seed', '')[:16]}…", 30, YELLOW, False),
        ]
        if view.replacements:
            lines.append((f"抽取后按规定替换 {len(view.replacements)} 次（原因见记录补充页）", 30, YELLOW, False))
        lines.append(("请经办人、监督人员和见证人在《随机抽取过程记录》上签字。验证包可用 verify.py 复算全部结果。",
                      26, MUTED, False))
        y = body.top() + self.px(10)
        for text, size, colour, bold in lines:
            wrap = size < 30
            height = self.px(size * (2.6 if wrap else 1.5))
            self._text(p, QRectF(body.left(), y, body.width(), height), text, size, colour, bold=bold, wrap=wrap,
                       min_size=None if wrap else 24)
            y += height + self.px(8)
