"""连接到局域网服务器: take the details shown on the server PC (typed, pasted or scanned), check, save."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import config
from app.domain.lan_server import DEFAULT_DATABASE, DEFAULT_PORT, ConnectionDetails, DetailsError, parse_details
from app.services.system.database import check_connection, save_database_choice
from app.services.errors import UserError
from app.ui.tasks import BackgroundOp, show_error


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("连接到局域网服务器")
        self.resize(620, 560)
        self.saved_url: str | None = None

        paste_box = QGroupBox("第一步：粘贴或扫描连接信息")
        self.pasted = QPlainTextEdit()
        self.pasted.setPlaceholderText("把服务器电脑上“本机作为局域网服务器”显示的连接信息粘贴到这里，"
                                       "或用扫码枪扫描其二维码；也可以直接在下面逐项填写。")
        self.pasted.setMaximumHeight(120)
        self.pasted.textChanged.connect(self._fill_from_text)
        self.paste_state = QLabel("")
        self.paste_state.setObjectName("hint")
        paste_layout = QVBoxLayout(paste_box)
        paste_layout.addWidget(self.pasted)
        paste_layout.addWidget(self.paste_state)

        fields_box = QGroupBox("第二步：核对")
        self.host = QLineEdit()
        self.host.setPlaceholderText("如 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(DEFAULT_DATABASE)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(fields_box)
        for label, widget in (("服务器地址：", self.host), ("端口：", self.port), ("数据库：", self.database),
                              ("用户名：", self.user), ("密码：", self.password)):
            form.addRow(label, widget)

        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel("保存前会先测试连接；保存后重新启动本程序即使用服务器上的数据。")
        self.result.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("测试并保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(paste_box)
        layout.addWidget(fields_box)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _fill_from_text(self) -> None:
        text = self.pasted.toPlainText()
        if not text.strip():
            self.paste_state.setText("")
            return
        try:
            details = parse_details(text)
        except DetailsError as exc:
            self.paste_state.setText(str(exc))
            return
        self.host.setText(details.host)
        self.port.setValue(details.port)
        self.database.setText(details.database)
        self.user.setText(details.user)
        self.password.setText(details.password)
        self.paste_state.setText("已识别，请在下面核对。")

    def details(self) -> ConnectionDetails:
        if not self.host.text().strip() or not self.user.text().strip() or not self.password.text():
            raise UserError("请填写服务器地址、用户名和密码（可粘贴服务器电脑显示的连接信息）。")
        return ConnectionDetails(self.host.text().strip(), self.port.value(),
                                 self.database.text().strip() or DEFAULT_DATABASE, self.user.text().strip(),
                                 self.password.text())

    def url(self) -> str:
        d = self.details()
        return config.postgres_url(d.host, d.port, d.database, d.user, d.password)

    def _check(self, then) -> None:
        try:
            url = self.url()
        except UserError as exc:
            show_error(self, exc)
            return
        self.result.setText("正在连接…")
        self.test_button.setEnabled(False)

        def failed(exc: BaseException, details: str) -> None:
            self.test_button.setEnabled(True)
            self.result.setText("连接失败。")
            show_error(self, exc, details)

        def succeeded(description: str) -> None:
            self.test_button.setEnabled(True)
            self.result.setText(f"可以连接：{description}")
            then(url)

        BackgroundOp(self, lambda progress: check_connection(url), succeeded).failure(failed).run_in_background()

    def test_connection(self) -> None:
        self._check(lambda url: None)

    def save(self) -> None:
        def store(url: str) -> None:
            save_database_choice(url)
            self.saved_url = url
            QMessageBox.information(self, "已保存", "已改为连接局域网服务器，重新启动本程序后生效。")
            self.accept()

        self._check(store)
