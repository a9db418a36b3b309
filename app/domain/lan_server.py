"""What the other PCs need to reach the office's server, and the office subnet it admits.

The details travel as text a clerk can read aloud or type (``键：值`` lines) and, in the QR
code, as one ``postgresql://`` address; ``parse_details`` reads either (a USB scanner types the
QR's text into the field), also with the English keys or half-width colons.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import string
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

DEFAULT_PORT = 5432
DEFAULT_DATABASE = "shuangsuiji"
DEFAULT_ROLE = "shuangsuiji"
#: no look-alikes (0/O, 1/l/I): the password may be typed from a printed sheet.
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
PASSWORD_LENGTH = 20  # 57 symbols ** 20: about 116 bits
TITLE = "双随机工作台局域网服务器"

_KEYS = {
    "地址": "host", "服务器": "host", "host": "host",
    "端口": "port", "port": "port",
    "数据库": "database", "数据库名": "database", "database": "database", "dbname": "database",
    "用户名": "user", "用户": "user", "user": "user",
    "密码": "password", "password": "password",
}


class DetailsError(ValueError):
    """Text that is not a set of connection details; the message says what is missing (Chinese)."""


@dataclass(frozen=True)
class ConnectionDetails:
    host: str
    port: int
    database: str
    user: str
    password: str

    def as_text(self) -> str:
        return "\n".join([TITLE, f"地址：{self.host}", f"端口：{self.port}", f"数据库：{self.database}",
                          f"用户名：{self.user}", f"密码：{self.password}"])

    def as_address(self) -> str:
        """The QR code's text: one postgresql:// address (the program's --db accepts it too)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (f"postgresql://{quote(self.user, safe='')}:{quote(self.password, safe='')}@{host}:{self.port}/"
                f"{quote(self.database, safe='')}")


def generate_password(length: int = PASSWORD_LENGTH) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def _check_port(value: str) -> int:
    if not value.strip().isdecimal() or not 1 <= int(value) <= 65535:
        raise DetailsError(f"端口“{value}”不对：应为 1～65535 的数字。")
    return int(value)


def parse_details(text: str) -> ConnectionDetails:
    """Connection details from a postgresql:// address or from ``键：值`` lines."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise DetailsError("没有填写连接信息。")
    if re.match(r"postgres(ql)?(\+\w+)?://", text):
        return _parse_address(text.split()[0])
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"\s*([^:：=]+?)\s*[:：=]\s*(.*?)\s*$", line)
        if match and match.group(1).strip().lower() in _KEYS:
            values[_KEYS[match.group(1).strip().lower()]] = match.group(2)
    required = (("地址", "host"), ("用户名", "user"), ("密码", "password"))
    missing = [name for name, key in required if not values.get(key)]
    if missing:
        raise DetailsError(f"连接信息缺少：{'、'.join(missing)}。请把服务器电脑上显示的连接信息完整粘贴过来。")
    return ConnectionDetails(values["host"], _check_port(values.get("port") or str(DEFAULT_PORT)),
                             values.get("database") or DEFAULT_DATABASE, values["user"], values["password"])


def _parse_address(address: str) -> ConnectionDetails:
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError as exc:
        raise DetailsError(f"连接地址无法识别：{exc}") from exc
    if not parts.hostname or not parts.username or parts.password is None:
        raise DetailsError("连接地址缺少服务器、用户名或密码，应形如 postgresql://用户名:密码@服务器:端口/数据库。")
    return ConnectionDetails(parts.hostname, port or DEFAULT_PORT, unquote(parts.path.lstrip("/")) or DEFAULT_DATABASE,
                             unquote(parts.username), unquote(parts.password))


def listen_address(text: str) -> ipaddress.IPv4Address:
    """The address the server listens on: one IPv4 address of this PC (not 0.0.0.0, not multicast)."""
    try:
        address = ipaddress.IPv4Address(text.strip())
    except ValueError as exc:
        raise DetailsError(f"“{text}”不是 IPv4 地址（应形如 192.168.1.10）。") from exc
    if address.is_unspecified or address.is_multicast or address.is_reserved or str(address).endswith(".255"):
        raise DetailsError(f"{address} 不能作为服务器地址：请选本机在办公室局域网中的地址。")
    return address


def office_subnet(address: ipaddress.IPv4Address, prefix: int = 24) -> ipaddress.IPv4Network | None:
    """The office network the server admits: the address's /24 (a usual office LAN); None on loopback,
    where only this PC may connect."""
    if address.is_loopback:
        return None
    return ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)


def hba_lines(subnet: ipaddress.IPv4Network | None, database: str, role: str) -> list[str]:
    """pg_hba.conf: this PC (loopback) for every role, the office subnet for the program's role only."""
    lines = [
        "# 双随机工作台：只允许本机和办公室网段连接（由“本机作为局域网服务器”生成）",
        "# TYPE  DATABASE  USER  ADDRESS  METHOD",
        "host    all    all    127.0.0.1/32    scram-sha-256",
        "host    all    all    ::1/128    scram-sha-256",
    ]
    if subnet is not None:
        lines.append(f"host    {database}    {role}    {subnet}    scram-sha-256")
    return lines
