"""Issue 17: backup and checked restore of a 500,000-subject database; export and import of the
demo county.

Targets: backup ≤ 10 s and checked restore ≤ 10 s at 500,000 subjects (the restore includes its
checks, the 恢复前 backup of the current data and the switch); export ≤ 5 s and import ≤ 5 s of
the demo county (import: into an empty SQLite file, and into an empty PostgreSQL database when
the server programs are installed). Each figure is printed with its ratio to the target.
The 500,000-subject database is built once and cached in benchmarks/.cache/.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
SUBJECTS = 500_000
LARGE = CACHE / f"backup-{SUBJECTS}.sqlite3"
sys.path.insert(0, str(ROOT))

REGIONS = ["城关镇", "东城街道", "西城街道", "河口镇", "柳林镇", "石桥镇", "青山乡", "白沙镇", "新庄乡", "马集镇"]
INDUSTRIES = ["批发和零售业", "住宿和餐饮业", "制造业", "建筑业", "居民服务、修理和其他服务业"]

from app.domain.accounts import Actor, Role  # noqa: E402

BENCH_ADMIN = Actor("bench", "基准测试", frozenset({Role.ADMIN}))


def build_large() -> None:
    """A migrated database with 500,000 subjects shaped like an imported directory, a tag on every
    seventh, and an audit entry per 10,000 subjects (so the chain check has work too)."""
    from app.db.migrate import upgrade
    from app.db.session import Database
    from app.domain.credit_code import compute_check_char
    from app.services.system import audit
    partial = LARGE.with_suffix(".part")
    partial.unlink(missing_ok=True)
    db = Database(f"sqlite:///{partial.as_posix()}")
    upgrade(db.engine)
    rng = random.Random(17)
    for start in range(0, SUBJECTS, 10_000):
        with db.session() as session:
            raw = session.connection().connection.driver_connection
            rows = []
            for i in range(start, start + 10_000):
                body = f"9141{i % 90 + 10:02d}00{i:09d}"
                rows.append((body + compute_check_char(body), f"某市{REGIONS[i % 10]}第{i}号商贸有限公司", "有限责任公司",
                             "张三", f"138{i:08d}", f"某市{REGIONS[i % 10]}人民路{i % 999}号", REGIONS[i % 10],
                             INDUSTRIES[i % 5], "存续", f"{2000 + i % 25}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                             "某市市场监督管理局", "ABCD"[rng.randrange(4)], i % 50 == 0, False, i % 20 == 0))
            raw.executemany(
                "INSERT INTO subjects (credit_code, name, subject_type, legal_representative, phone, address, region, "
                "industry, registration_status, established_on, registration_authority, risk_class, "
                "abnormal_operation, serious_violation, key_supervision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            audit.record(session, BENCH_ADMIN, "导入检查对象名录", "subjects", "", {"新增": 10_000})
    with db.session() as session:
        raw = session.connection().connection.driver_connection
        raw.execute("INSERT INTO tags (name) VALUES ('食品经营')")
        raw.execute("INSERT INTO subject_tags (subject_id, tag_id) SELECT id, 1 FROM subjects WHERE id % 7 = 0")
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    partial.replace(LARGE)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}  # CPU seconds of each measured operation (all its threads)


def timed(action, name: str):
    """Wall seconds of ``action`` (its CPU seconds go to CPU[name]: on a shared machine the wall
    figure includes waiting for a core, which the CPU figure does not)."""
    started, cpu = time.perf_counter(), _cpu()
    result = action()
    CPU[name] = _cpu() - cpu
    return time.perf_counter() - started, result


def measure_large(folder: Path) -> dict:
    from app.db.session import Database
    from app.services.backup.restore import restore_backup
    from app.services.backup.sqlite_backup import create_backup

    live = folder / "workbench.sqlite3"
    shutil.copy(LARGE, live)
    db = Database(f"sqlite:///{live.as_posix()}")
    backup_seconds, info = timed(lambda: create_backup(db), "backup_s")
    restore_seconds, report = timed(lambda: restore_backup(db, BENCH_ADMIN, info.path), "restore_s")
    assert report.backup.subjects == SUBJECTS
    db.dispose()
    return {"database_mb": live.stat().st_size / 1e6, "backup_mb": info.size / 1e6,
            "backup_s": backup_seconds, "restore_s": restore_seconds}


def measure_demo(folder: Path) -> dict:
    from app.db.migrate import upgrade
    from app.db.session import Database
    from app.services.demo import county as demo
    from app.services.backup.archive import export_data
    from app.services.backup.archive_import import import_data

    db = Database(f"sqlite:///{(folder / 'demo.sqlite3').as_posix()}")
    upgrade(db.engine)
    demo.create_demo(db, BENCH_ADMIN)
    export_seconds, report = timed(lambda: export_data(db, folder / "demo.zip"), "export_s")
    db.dispose()
    target = f"sqlite:///{(folder / 'moved.sqlite3').as_posix()}"
    import_seconds, _ = timed(lambda: import_data(target, report.path), "import_sqlite_s")
    figures = {"demo_subjects": report.counts["subjects"], "archive_mb": report.path.stat().st_size / 1e6,
               "export_s": export_seconds, "import_sqlite_s": import_seconds}
    server = _postgres()
    if server is not None:
        try:
            url = server.create_database("bench_moved")
            figures["import_postgresql_s"] = timed(lambda: import_data(url, report.path), "import_postgresql_s")[0]
        finally:
            server.stop()
    return figures


def _postgres():
    """A throw-away PostgreSQL server (the test suite's), or None without the server programs."""
    try:
        from tests.pg_server import PostgresServer, wait_until_ready

        server = PostgresServer().start()
    except RuntimeError:
        return None
    wait_until_ready(server)
    return server


def main() -> None:
    CACHE.mkdir(exist_ok=True)
    if not LARGE.exists():
        print(f"正在生成 {SUBJECTS:,} 户的数据库（只需一次）…", flush=True)
        build_large()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SHUANGSUIJI_DATA_DIR"] = str(Path(folder) / "data")
        large = measure_large(Path(folder))
        moved = measure_demo(Path(folder))
    figures = {**large, **moved}
    print(f"{SUBJECTS:,} 户的数据库：{large['database_mb']:.0f} MB，备份文件 {large['backup_mb']:.0f} MB；"
          f"本机负载 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）")
    rows = [("备份", "backup_s", 10), ("检查后恢复（含校验、完整性检查、审计链、恢复前备份、切换）", "restore_s", 10),
            (f"示例县（{moved['demo_subjects']:,} 户）导出", "export_s", 5),
            ("示例县导入空的 SQLite", "import_sqlite_s", 5), ("示例县导入空的 PostgreSQL", "import_postgresql_s", 5)]
    for label, key, target in rows:
        if key in figures:
            print(f"  {label}：{figures[key]:5.1f} 秒（CPU {CPU[key]:4.1f} 秒）；目标 ≤ {target} 秒，"
                  f"比值 {figures[key] / target:.2f}")
    print(json.dumps({**figures, "cpu": CPU}))


if __name__ == "__main__":
    main()
