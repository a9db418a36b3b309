"""`backup create|list|restore|check|folder` and `data export|import`: data safety from the command line."""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, database_url, open_db
from app.services.backup import sqlite_backup
from app.services.backup.archive import export_data
from app.services.backup.archive_import import import_data
from app.services.backup.facts import counts_text
from app.services.backup.restore import check_backup, restore_backup
from app.services.errors import UserError

# Whoever runs the command line on the office PC administers its data file; accounts (#15) may
# later ask for a login here.


def register(commands) -> None:
    group = commands.add_parser("backup", help="本机数据库（SQLite）的备份与恢复")
    sub = group.add_subparsers(dest="backup_command", metavar="子命令", required=True)
    create = sub.add_parser("create", help="立即备份")
    create.add_argument("--out", metavar="DIR", help="备份到这个文件夹（默认：本机设置的备份文件夹）")
    create.set_defaults(handler=create_backup)
    listing = sub.add_parser("list", help="列出备份（最新的在前）")
    listing.add_argument("--dir", metavar="DIR", help="列出这个文件夹中的备份")
    listing.set_defaults(handler=list_backups)
    restore = sub.add_parser("restore", help="检查备份后恢复（恢复前自动备份当前数据）")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=restore_from)
    check = sub.add_parser("check", help="只检查备份文件是否完好，不恢复")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(handler=check_file)
    folder = sub.add_parser("folder", help="查看或设置本机的备份文件夹")
    folder.add_argument("dir", metavar="DIR", nargs="?", help="新的备份文件夹（如U盘、共享文件夹）")
    folder.add_argument("--default", action="store_true", help="改回数据文件夹中的 backups")
    folder.set_defaults(handler=backup_folder)

    group = commands.add_parser("data", help="导出、导入全部数据（换电脑、迁移到 PostgreSQL 服务器）")
    sub = group.add_subparsers(dest="data_command", metavar="子命令", required=True)
    export = sub.add_parser("export", help="把全部数据导出为一个文件（zip，格式见 docs/data-format.md）")
    export.add_argument("--out", metavar="FILE", required=True, help="导出文件（.zip）")
    export.set_defaults(handler=export_all)
    load = sub.add_parser("import", help="把导出的文件导入一个空数据库（SQLite 或 PostgreSQL）")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--db", dest="target_db", metavar="URL",
                      help="目标数据库地址，如 postgresql://用户:密码@服务器/库名 或 sqlite:///路径")
    load.set_defaults(handler=import_archive)


def create_backup(args: argparse.Namespace) -> int:
    info = sqlite_backup.create_backup(open_db(args), folder=args.out)
    print(f"已备份到 {info.path}（{info.size / 1e6:.1f} MB，SHA-256 {info.sha256[:16]}…）")
    print(f"检查对象 {info.subjects:,} 户，审计日志 {info.facts.audit_entries:,} 条。")
    return 0


def list_backups(args: argparse.Namespace) -> int:
    folder = args.dir or sqlite_backup.backup_folder()
    backups = sqlite_backup.list_backups(folder)
    if not backups:
        print(f"{folder} 中还没有备份。")
        return 0
    print(f"{folder} 中的备份（最新的在前）：")
    for info in backups:
        print(f"{info.created_at:%Y-%m-%d %H:%M}  {info.kind:<3}  {info.size / 1e6:8.1f} MB  "
              f"检查对象 {info.subjects:>9,} 户  {info.path.name}")
    return 0


def restore_from(args: argparse.Namespace) -> int:
    db = open_db(args)
    report = restore_backup(db, acting_user(args, db), args.file)
    print(report.summary())
    print(f"恢复的数据：{counts_text(report.backup.facts.counts)}")
    return 0


def check_file(args: argparse.Namespace) -> int:
    info = check_backup(open_db(args), args.file)
    print(f"备份完好：{info.created_at:%Y-%m-%d %H:%M} 的{info.kind}备份，校验和、完整性检查、结构版本 "
          f"{info.facts.schema_revision}、审计日志链（{info.facts.audit_entries:,} 条）均通过。")
    return 0


def backup_folder(args: argparse.Namespace) -> int:
    if args.dir or args.default:
        folder = sqlite_backup.choose_backup_folder(None if args.default else args.dir)
        print(f"以后的备份存放在 {folder}")
    else:
        print(sqlite_backup.backup_folder())
    return 0


def export_all(args: argparse.Namespace) -> int:
    report = export_data(open_db(args), args.out)
    print(f"已导出到 {report.path}（结构版本 {report.schema_revision}，模板文件 {report.files} 个）")
    print(f"数据：{counts_text(report.counts)}")
    return 0


def import_archive(args: argparse.Namespace) -> int:
    url = args.target_db or database_url(args)
    if not url:
        raise UserError("请用 --db 指定要导入的空数据库，如 --db postgresql://用户:密码@服务器/库名。")
    report = import_data(url, args.file)
    print(f"已导入 {report.target}：各表行数、校验和与审计日志链（{report.audit_entries:,} 条）均与导出时一致。")
    print(f"数据：{counts_text(report.counts)}")
    if report.files_written or report.files_kept:
        print(f"模板文件：新放入 {report.files_written} 个，本机已有而保留 {report.files_kept} 个。")
    return 0
