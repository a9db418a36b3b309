"""本机作为局域网服务器 and 连接到局域网服务器, as an administrator and a clerk on another PC use them.

A server is made through the dialog on 127.0.0.1; its details, copied as shown, are pasted into the
connect dialog, which checks the connection before it saves (a wrong password saves nothing).
Screenshots go to tmp_path, or to $SSJ_SCREENSHOTS (docs/screenshots) when set.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app import config
from app.services.server import cluster
from app.ui.server import connect_dialog
from app.ui.server.connect_dialog import ConnectDialog
from app.ui.server.server_dialog import ServerDialog
from tests.ui.waiting import settle


@pytest.fixture
def place():
    base = Path(tempfile.mkdtemp(prefix="ssj-lan-ui-"))  # reachable by the server's account when root
    yield base
    for state in base.glob(f"*/{cluster.STATE_FILE}"):
        try:
            cluster.stop_server(state.parent)
        except Exception:  # noqa: BLE001 - cleaning up must not hide the test's own error
            pass
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def messages(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    return shown


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def grab(widget, folder: Path, name: str) -> None:
    settle()
    assert widget.width() <= 1366 and widget.height() <= 768 - 40  # fits the screen under the task bar
    assert widget.grab().save(str(folder / f"{name}.png"))


def test_admin_makes_the_server_and_another_pc_connects_with_the_shown_details(
        qtbot, context, place, messages, shots, monkeypatch):
    dialog = ServerDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.currentWidget() is dialog.setup
    form = dialog.setup
    form.address.setCurrentText("192.168.1.23")
    assert form.subnet.text() == "192.168.1.0/24"
    grab(dialog, shots, "lan-server-1-setup")

    form.address.setCurrentText("127.0.0.1")
    assert form.subnet.text() == "（仅本机）"
    form.folder.setText(str(place / "服务器"))
    form.port.setValue(_free_port())
    form.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.view, timeout=180_000)
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "服务器已建立并启动" in messages[0]
    view = dialog.view
    assert "运行中" in view.state.text() and "随本程序启动" in view.state.text()
    assert not view.qr.pixmap().isNull()
    assert "无需防火墙规则" in view.firewall.text()  # loopback only; a LAN address gets the netsh rule
    grab(dialog, shots, "lan-server-2-running")
    shown = view.details.toPlainText()

    errors: list[str] = []
    monkeypatch.setattr(connect_dialog, "show_error", lambda parent, exc, details="": errors.append(str(exc)))
    other = ConnectDialog()
    qtbot.addWidget(other)
    other.show()
    other.pasted.setPlainText(shown)
    assert other.host.text() == "127.0.0.1" and other.user.text() == "shuangsuiji"
    assert "已识别" in other.paste_state.text()
    grab(other, shots, "lan-server-3-connect")

    other.password.setText("wrong-password")
    other.save()
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert "无法打开" in errors[0]
    assert "database_url" not in config.read_local_settings()

    other.pasted.setPlainText(shown)  # re-read the right password
    other.save()
    qtbot.waitUntil(lambda: other.saved_url is not None, timeout=60_000)
    stored = config.read_local_settings()["database_url"]  # the password itself sits in the 0600 pgpass file
    assert f":{cluster.load_config().port}/shuangsuiji" in stored and other.password.text() not in stored

    view.stop_button.setEnabled(True)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    view.stop_button.click()
    qtbot.waitUntil(lambda: "未运行" in view.state.text(), timeout=60_000)


def test_pasting_half_the_details_says_what_is_missing(qtbot):
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.pasted.setPlainText("地址：192.168.1.10\n端口：5432")
    assert "缺少：用户名、密码" in dialog.paste_state.text()
    assert dialog.host.text() == ""
