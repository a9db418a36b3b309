"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys

from app import config
from app.db.session import Database
from app.services.system.database import open_database

CLI_ACTOR = "命令行"


def database_url(args: argparse.Namespace) -> str | None:
    return config.requested_database_url(args.db, args.demo)


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
