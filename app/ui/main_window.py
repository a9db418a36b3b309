"""The main window: navigation on the left, the chosen work area on the right.

A page is built the first time it is shown, so start-up pays only for the first one. Each
sits in a scroll area: the window's minimum size no longer adds up the largest page, so it
fits a 1366×768 office screen and a 1024×768 projector (a page then scrolls, never cut off).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QListWidget, QMainWindow, QScrollArea, QStackedWidget, QWidget,
)

from app import APP_NAME
from app.domain.accounts import Role
from app.ui.accounts.login_dialog import ChangePasswordDialog, LoginDialog
from app.ui.context import AppContext
from app.ui.navigation import PAGES, USERS_PAGE
from app.ui.common.base_page import Page
from app.ui.common.screen_fit import fit_to_screen


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, pages: list[type[Page]] | None = None):
        super().__init__()
        self.context = context
        self.setWindowTitle(f"{APP_NAME}" + ("（示例县）" if context.demo else ""))
        fit_to_screen(self, 1200, 760)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.stack = QStackedWidget()
        self._page_classes: list[type[Page]] = []
        self._pages: list[Page | None] = []
        if pages is None:
            pages = PAGES + ([USERS_PAGE] if context.actor.has(Role.ADMIN) else [])
        for page_class in pages:
            self._add_page(page_class)
        self.navigation.currentRowChanged.connect(self.show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = QLabel(context.database_description)
        self.statusBar().addPermanentWidget(self.database_label)
        self.user_label = QLabel(f"操作人：{context.actor.name}（{context.actor.roles_text}）")
        self.statusBar().addWidget(self.user_label)
        self._build_menu()
        self.navigation.setCurrentRow(0)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        settings = QAction("设置…", self)
        settings.triggered.connect(self.open_settings)
        file_menu.addAction(settings)
        switch = QAction("切换用户…", self)
        switch.triggered.connect(self.switch_user)
        file_menu.addAction(switch)
        password = QAction("修改密码…", self)
        password.triggered.connect(self.change_password)
        file_menu.addAction(password)
        file_menu.addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于…", self)
        about.triggered.connect(self.open_about)
        help_menu.addAction(about)

    def _add_page(self, page_class: type[Page]) -> None:
        """A navigation entry whose page is built the first time it is shown."""
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        self._page_classes.append(page_class)
        self._pages.append(None)
        self.stack.addWidget(holder)
        self.navigation.addItem(page_class.title)

    def page(self, row: int) -> Page:
        """The page in navigation row ``row``, built on first use."""
        if self._pages[row] is None:
            self._pages[row] = self._page_classes[row](self.context)
            self.stack.widget(row).setWidget(self._pages[row])
        return self._pages[row]

    def current_page(self) -> Page:
        return self.page(self.stack.currentIndex())

    def show_page(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(row)
        self.stack.setCurrentIndex(row)
        page.refresh()

    def page_titles(self) -> list[str]:
        return [self.navigation.item(i).text() for i in range(self.navigation.count())]

    def open_page(self, title: str) -> Page:
        row = self.page_titles().index(title)
        self.navigation.setCurrentRow(row)
        return self.page(row)

    def open_settings(self) -> None:
        from app.ui.system.settings_dialog import SettingsDialog

        if SettingsDialog(self.context, self).exec():
            self.current_page().refresh()

    def switch_user(self) -> bool:
        """Another person logs in at this PC (e.g. the 审核人 approving what the 经办人 submitted)."""
        dialog = LoginDialog(self.context.db, self.context.database_description, self, title="切换用户",
                             intro="请下一位操作人登录；此后的操作都记在其名下。", cancel_text="取消")
        if not dialog.exec() or dialog.login is None:
            return False
        if dialog.login.must_change_password and not ChangePasswordDialog(
                self.context.db, dialog.login.actor, required=True, parent=self).exec():
            return False
        self.set_actor(dialog.login.actor)
        return True

    def set_actor(self, actor) -> None:
        self.context.actor = actor
        self.user_label.setText(f"操作人：{actor.name}（{actor.roles_text}）")
        has_page = USERS_PAGE in self._page_classes
        if actor.has(Role.ADMIN) and not has_page:
            self._add_page(USERS_PAGE)
        elif not actor.has(Role.ADMIN) and has_page:
            row = self._page_classes.index(USERS_PAGE)
            if self.navigation.currentRow() == row:
                self.navigation.setCurrentRow(0)
            self.navigation.takeItem(row)
            self.stack.removeWidget(self.stack.widget(row))
            del self._page_classes[row], self._pages[row]
        self.current_page().refresh()

    def change_password(self) -> None:
        if ChangePasswordDialog(self.context.db, self.context.actor, parent=self).exec():
            self.statusBar().showMessage("密码已修改。", 5000)

    def open_about(self) -> None:
        from app.ui.system.about_dialog import AboutDialog

        AboutDialog(self.context, self).exec()

    def keyPressEvent(self, event) -> None:  # noqa: N802 — Qt naming
        if event.key() == Qt.Key.Key_F1:
            self.open_about()
            return
        super().keyPressEvent(event)
