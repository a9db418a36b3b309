"""`server …`: make this PC the office's PostgreSQL server, start/stop it, print what the other PCs need."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.lan_server import DEFAULT_PORT
from app.services.errors import UserError
from app.services.progress import Progress


def register(commands) -> None:
    server = commands.add_parser("server", help="本机作为局域网服务器：建立、启动、停止、查看连接信息")
    actions = server.add_subparsers(dest="server_action", metavar="操作", required=True)

    init = actions.add_parser("init", help="在本机建立服务器（数据库、用户、随机强密码、只许办公室网段连接）")
    init.add_argument("--listen", required=True, metavar="地址", help="本机的局域网地址，如 192.168.1.10")
    init.add_argument("--data", metavar="文件夹", help="服务器数据文件夹（须为空；默认在本程序的数据文件夹中）")
    init.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    init.add_argument("--subnet", metavar="网段", help="允许连接的网段，如 192.168.1.0/24（默认取地址所在的 /24）")
    init.set_defaults(handler=server_init)

    for name, text, handler in (("start", "启动本机的服务器", server_start), ("stop", "停止本机的服务器", server_stop),
                                ("status", "查看本机服务器的状态", server_status)):
        action = actions.add_parser(name, help=text)
        action.add_argument("--data", metavar="文件夹", help="服务器数据文件夹（默认为上次建立的）")
        action.set_defaults(handler=handler)

    info = actions.add_parser("connection-info", help="显示其他电脑连接本服务器所需的信息")
    info.add_argument("--data", metavar="文件夹", help="服务器数据文件夹（默认为上次建立的）")
    info.add_argument("--qr", metavar="PNG", help="另把连接信息存为二维码图片")
    info.set_defaults(handler=server_connection_info)


def _folder(args: argparse.Namespace) -> Path | None:
    return Path(args.data) if args.data else None


def server_init(args: argparse.Namespace) -> int:
    import sys

    from app.services.server.autostart import firewall_note
    from app.services.server.cluster import init_server

    def report(done: int, total: int, label: str) -> None:
        print(label, file=sys.stderr, flush=True)

    cfg = init_server(args.listen, _folder(args), port=args.port, subnet=args.subnet, progress=Progress(report))
    print(f"服务器已建立并启动：{cfg.folder}（{cfg.version}）")
    print()
    print("其他电脑在“连接到局域网服务器”中填写：")
    print(cfg.details().as_text())
    print()
    print(firewall_note(cfg))
    return 0


def server_start(args: argparse.Namespace) -> int:
    from app.services.server.cluster import start_server

    print(start_server(_folder(args)).describe())
    return 0


def server_stop(args: argparse.Namespace) -> int:
    from app.services.server.cluster import stop_server

    print(stop_server(_folder(args)).describe())
    return 0


def server_status(args: argparse.Namespace) -> int:
    from app.services.server.cluster import server_status as status

    result = status(_folder(args))
    print(result.describe())
    return 0 if result.accepting else 1


def server_connection_info(args: argparse.Namespace) -> int:
    from app.documents.qr import qr_png
    from app.services.server.cluster import load_config

    details = load_config(_folder(args)).details()
    print(details.as_text())
    print(f"连接地址：{details.as_address()}")
    if args.qr:
        try:
            Path(args.qr).write_bytes(qr_png(details.as_address()))
        except OSError as exc:
            raise UserError(f"二维码图片无法保存到 {args.qr}：{exc.strerror or exc}") from exc
        print(f"二维码已保存：{args.qr}")
    return 0
