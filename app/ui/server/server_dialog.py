"""本机作为局域网服务器: the guided one-step setup, then the server's state and its connection details.

Before a server exists the dialog shows the setup form (address, office subnet, data folder,
how it starts); afterwards the status, start/stop, the details for the other PCs as text and QR
code, and the firewall note.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.documents.qr import qr_png
from app.domain.lan_server import DEFAULT_PORT, DetailsError, listen_address, office_subnet
from app.services.system.database import save_database_choice
from app.services.errors import UserError
from app.services.server import autostart, cluster
from app.services.server.network import local_addresses
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, run_or_explain, show_error

QR_SIZE = 220


class _SetupForm(QWidget):
    """Step 1: what the admin chooses; everything else (role, password, pg_hba.conf) is made for them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        intro = QLabel("把本机设为办公室的数据库服务器，其他电脑即可共用同一份数据。本程序会在本机建立数据库、"
                       "生成随机强密码的数据库用户，只允许办公室网段的电脑连接。本机须保持开机。")
        intro.setWordWrap(True)
        self.address = QComboBox()
        self.address.setEditable(True)
        self.address.addItems(local_addresses())
        self.address.setToolTip("其他电脑用这个地址连接本机：选本机在办公室局域网中的地址（通常是 192.168. 开头）")
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.subnet = QLineEdit()
        self.subnet.setToolTip("只有这个网段的电脑可以连接；一般无需修改")
        self.address.currentTextChanged.connect(self._derive_subnet)
        self._derive_subnet(self.address.currentText())
        self.folder = QLineEdit(str(cluster.default_folder()))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.with_program = QRadioButton(autostart.MODES[autostart.WITH_PROGRAM] + "（本机开着本程序时可用）")
        self.with_computer = QRadioButton(autostart.MODES[autostart.WITH_COMPUTER] + "（需以管理员身份运行本程序）")
        self.with_program.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.with_program)
        group.addButton(self.with_computer)
        start_row = QVBoxLayout()
        start_row.addWidget(self.with_program)
        start_row.addWidget(self.with_computer)

        form = QFormLayout()
        form.addRow("本机地址：", self.address)
        form.addRow("端口：", self.port)
        form.addRow("允许连接的网段：", self.subnet)
        form.addRow("数据文件夹：", folder_row)
        form.addRow("启动方式：", start_row)
        self.create_button = QPushButton("建立服务器")
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.create_button)
        layout.addStretch(1)

    def _derive_subnet(self, text: str) -> None:
        try:
            subnet = office_subnet(listen_address(text))
        except DetailsError:
            return
        self.subnet.setText(str(subnet) if subnet else "（仅本机）")

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择服务器数据文件夹（空文件夹）", self.folder.text())
        if path:
            self.folder.setText(path)

    def choices(self) -> dict:
        subnet = self.subnet.text().strip()
        return {"listen": self.address.currentText().strip(), "folder": Path(self.folder.text().strip()),
                "port": self.port.value(), "subnet": None if not subnet or subnet.startswith("（") else subnet}


class _ServerView(QWidget):
    """Step 2: the server's state and what the other PCs need."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.start_button = QPushButton("启动")
        self.stop_button = QPushButton("停止")
        self.use_here_button = QPushButton("本机也改用此服务器")
        self.use_here_button.setToolTip("本机今后也连接这台服务器（重新启动本程序后生效）")
        state_box = QGroupBox("服务器状态")
        state_layout = QVBoxLayout(state_box)
        state_layout.addWidget(self.state)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.use_here_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        state_layout.addLayout(buttons)

        details_box = QGroupBox("其他电脑的连接信息（在“连接到局域网服务器”中粘贴或扫描）")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setFixedHeight(190)  # the six lines, CJK fallback font included
        self.qr = QLabel()
        self.qr.setFixedSize(QR_SIZE, QR_SIZE)
        self.copy_button = QPushButton("复制连接信息")
        self.save_qr_button = QPushButton("保存二维码…")
        left = QVBoxLayout()
        left.addWidget(self.details)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.save_qr_button)
        copy_row.addStretch(1)
        left.addLayout(copy_row)
        self.move_note = QLabel("本机原有的单机数据（SQLite）可用“数据导出/导入”移到服务器上："
                                "先在本机导出，改用此服务器后再导入。")
        self.move_note.setWordWrap(True)
        self.move_note.setObjectName("hint")
        left.addWidget(self.move_note)
        left.addStretch(1)
        details_layout = QHBoxLayout(details_box)
        details_layout.addLayout(left, 1)
        details_layout.addWidget(self.qr)

        firewall_box = QGroupBox("防火墙")
        self.firewall = QLabel()
        self.firewall.setWordWrap(True)
        self.firewall.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(firewall_box).addWidget(self.firewall)

        layout = QVBoxLayout(self)
        layout.addWidget(state_box)
        layout.addWidget(details_box)
        layout.addWidget(firewall_box)
        layout.addStretch(1)

    def show_status(self, status: cluster.ServerStatus) -> None:
        mode = autostart.MODES.get(autostart.start_mode() or "", "手动启动")
        self.state.setText(f"{status.describe()}\n启动方式：{mode}")
        self.start_button.setEnabled(not status.accepting)
        self.stop_button.setEnabled(status.running)
        details = status.config.details()
        self.details.setPlainText(details.as_text())  # the QR code holds the same as one address
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(details.as_address()))
        self.qr.setPixmap(pixmap.scaled(QR_SIZE, QR_SIZE))
        self.firewall.setText(autostart.firewall_note(status.config))


class ServerDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("本机作为局域网服务器")
        self.resize(900, 640)
        self.setup = _SetupForm()
        self.view = _ServerView()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.setup)
        self.pages.addWidget(self.view)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(close)
        self.setup.create_button.clicked.connect(self.create_server)
        self.view.start_button.clicked.connect(lambda: self._in_background(cluster.start_server, "正在启动服务器…"))
        self.view.stop_button.clicked.connect(self._stop)
        self.view.use_here_button.clicked.connect(self._use_here)
        self.view.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.view.details.toPlainText()))
        self.view.save_qr_button.clicked.connect(self._save_qr)
        self.refresh()

    def refresh(self) -> None:
        try:
            status = cluster.server_status()
        except UserError:
            self.pages.setCurrentWidget(self.setup)
            return
        self.status = status
        self.view.show_status(status)
        self.pages.setCurrentWidget(self.view)

    def create_server(self) -> None:
        choices = self.setup.choices()
        with_computer = self.setup.with_computer.isChecked()

        def work(progress):
            cfg = cluster.init_server(choices["listen"], choices["folder"], port=choices["port"],
                                      subnet=choices["subnet"], progress=progress)
            if with_computer:
                return cfg, autostart.register_with_computer(Path(cfg.folder))
            return cfg, autostart.choose_start_with_program()

        def done(result) -> None:
            self.refresh()
            QMessageBox.information(self, "服务器已建立", f"服务器已建立并启动。\n{result[1]}\n\n"
                                    "请按“防火墙”一栏的说明放行端口，然后在其他电脑上用“连接到局域网服务器”填入连接信息。")

        self.setup.create_button.setEnabled(False)
        op = BackgroundOp(self, work, done).with_progress("正在建立服务器…")
        op.failure(lambda exc, details: (self.setup.create_button.setEnabled(True), show_error(self, exc, details)))
        op.run_in_background()

    def _in_background(self, action, label: str) -> None:
        BackgroundOp(self, lambda progress: action(), lambda _: self.refresh()).with_progress(label) \
            .run_in_background()

    def _stop(self) -> None:
        answer = QMessageBox.question(self, "停止服务器",
                                      "停止后，其他电脑将无法使用共享数据，直到再次启动。确定停止吗？")
        if answer == QMessageBox.StandardButton.Yes:
            self._in_background(cluster.stop_server, "正在停止服务器…")

    def _use_here(self) -> None:
        ok, _ = run_or_explain(self, lambda: save_database_choice(self.status.config.local_url()))
        if ok:
            QMessageBox.information(self, "已保存", "本机今后也使用此服务器，重新启动本程序后生效。")

    def _save_qr(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存二维码", "服务器连接信息.png", "PNG 图片 (*.png)")
        if path:
            run_or_explain(self, lambda: Path(path).write_bytes(qr_png(self.status.config.details().as_address())))
