"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys

from app import config
from app.db.session import Database
from app.services.database import open_database

CLI_ACTOR = "命令行"


def demo_database_url() -> str:
    return f"sqlite:///{(config.data_dir() / 'demo.sqlite3').as_posix()}"


def database_url(args: argparse.Namespace) -> str | None:
    if args.db:
        return args.db
    return demo_database_url() if args.demo else None


def open_db(args: argparse.Namespace) -> Database:
    return open_database(database_url(args))


def print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def waiting_progress():
    """A Progress that tells the command-line user when a long write waits for another one."""
    from app.services.progress import Progress

    shown = set()

    def listen(_done: int, _total: int, label: str) -> None:
        if label.startswith("等待") and label not in shown:
            shown.add(label)
            print(label, file=sys.stderr, flush=True)

    return Progress(listen)
