"""月报表 and the year's statistics over a generated county of 1,000,000 inspections.

    python benchmarks/bench_reports.py [N] [--pg] [--no-sqlite]

50 departments with 10 tasks each, one finished draw per task, N inspections (default
1,000,000) over 200,000 subjects, 80 % of them reviewed and most of those published: written
with INSERT … SELECT straight into a fresh database (SQLite; with ``--pg`` also a throw-away
PostgreSQL started as the tests do). Timed: one department's 月报表 for a month, the county
双随机办's (part 5 over every department), and the year's statistics — each printed with its
ratio to a plain ``SELECT count(*) FROM inspections``. Target (issue 14): ≤ 1 s each on SQLite.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db.migrate import upgrade  # noqa: E402
from app.db.session import Database  # noqa: E402
from app.services.reports import monthly, statistics  # noqa: E402

TARGET_SECONDS = 1.0
DEPARTMENTS, TASKS_EACH, SUBJECTS, YEAR = 50, 10, 200_000, 2026
TOWNS = ("城关镇", "东岭镇", "西河镇", "南山乡", "北坡乡", "青禾街道", "新华街道", "白水镇", "石桥乡", "柳湾镇", "杏花村镇", "长乐乡")


def _numbers(dialect: str, n: int) -> str:
    """A one-column source ``i`` = 1..n."""
    if dialect == "postgresql":
        return f"(SELECT generate_series(1, {n}) AS i) AS g"
    return f"(WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) SELECT i FROM c) AS g"


def _day(dialect: str, month: str) -> str:
    return (f"make_date({YEAR}, {month}, 20)" if dialect == "postgresql"
            else f"printf('{YEAR}-%02d-20', {month})")


def generate(db: Database, n: int) -> None:
    d = db.engine.dialect.name
    per_task = n // (DEPARTMENTS * TASKS_EACH)
    tasks = DEPARTMENTS * TASKS_EACH
    eligible = "\n".join(str(i) for i in range(1, 5001)) + "\n"
    state = json.dumps({"engine": {"files": {"subject_ids.txt": eligible}}})
    true = "true" if d == "postgresql" else "1"
    false = "false" if d == "postgresql" else "0"
    month = "((t.id - 1) % 12 + 1)"
    with db.engine.begin() as c:
        def sql(text: str, params: tuple | None = None):
            if params is None and d == "postgresql":
                text = text.replace("%", "%%")  # psycopg reads % as a placeholder
            return c.exec_driver_sql(text, params or ())

        sql("INSERT INTO departments (id, name, short_name, is_office, active) VALUES "
            + ", ".join(f"({i}, '青禾县第{i}局', '第{i}局', {true if i == 1 else false}, {true})"
                        for i in range(1, DEPARTMENTS + 1)))
        sql(f"INSERT INTO plans (id, year, name, department_id, joint, status, note) SELECT i, {YEAR}, "
            f"'计划' || i, i, {false}, '已公示', '' FROM {_numbers(d, DEPARTMENTS)}")
        sql("INSERT INTO tasks (id, plan_id, name, number, initiating_department_id, scope, quota_count, "
            "stratify_by, stratum_quotas, methods, team_size, needs_expert, surprise, team_mode, team_count) "
            f"SELECT i, (i - 1) / {TASKS_EACH} + 1, '抽查任务' || i, '青抽〔{YEAR}〕' || i || '号', "
            f"(i - 1) / {TASKS_EACH} + 1, '{{}}', {per_task}, '', '{{}}', '[]', 2, {false}, {false}, "
            f"'per_subject', 0 FROM {_numbers(d, tasks)}")
        sql("INSERT INTO draws (id, task_id, protocol_version, status, holder, state, seed_hex, abandon_reason, "
            f"finished_at) SELECT t.id, t.id, 'bench', '已完成', '', '{{}}', '', '', "
            f"CAST({_day(d, month)} AS {'timestamp' if d == 'postgresql' else 'TEXT'}) FROM tasks t")
        sql("UPDATE draws SET state = " + ("?" if d == "sqlite" else "%s"), (state,))
        sql("INSERT INTO subjects (id, registration_no, name, subject_type, legal_representative, phone, address, "
            "region, industry, registration_status, registration_authority, risk_class, abnormal_operation, "
            "serious_violation, key_supervision) SELECT i, 'R' || i, '青禾县第' || i || '商店', '个体工商户', '', '', '', "
            + "CASE i % 12 " + " ".join(f"WHEN {k} THEN '{t}'" for k, t in enumerate(TOWNS)) + " END, "
            f"'零售业', '存续', '', CASE i % 4 WHEN 0 THEN 'A' WHEN 1 THEN 'B' WHEN 2 THEN 'C' ELSE 'D' END, "
            f"{false}, {false}, {false} FROM {_numbers(d, SUBJECTS)}")
        inspected = "g.i % 10 < 9"
        problem = "g.i % 5 = 0"
        tm = f"(((g.i - 1) / {per_task}) % 12 + 1)"
        day = _day(d, tm)
        date_cast = "date" if d == "postgresql" else "TEXT"
        subject = f"((CAST(g.i AS BIGINT) * 7919) % {SUBJECTS} + 1)"
        sql("INSERT INTO inspections (id, task_id, draw_id, subject_id, region, draw_rank, status, replaced_reason, "
            "inspected_on, result_category, handling, handed_to, note, categories, follow_ups, closed_on) "
            f"SELECT g.i, (g.i - 1) / {per_task} + 1, (g.i - 1) / {per_task} + 1, {subject}, "
            + f"CASE {subject} % 12 " + " ".join(f"WHEN {k} THEN '{t}'" for k, t in enumerate(TOWNS)) + " END, "
            f"g.i, CASE WHEN g.i % 10 < 8 THEN '审核通过' WHEN g.i % 10 = 8 THEN '已录入' ELSE '待检查' END, '', "
            f"CASE WHEN {inspected} THEN CAST({day} AS {date_cast}) END, "
            f"CASE WHEN NOT ({inspected}) THEN '' WHEN {problem} THEN '发现问题已责令改正' ELSE '未发现问题' END, "
            f"CASE WHEN NOT ({inspected}) THEN '' WHEN {problem} THEN '责令改正' ELSE '无需后续处置' END, "
            f"CASE WHEN {inspected} AND g.i % 50 = 0 THEN '县应急管理局' ELSE '' END, '', '[]', '[]', "
            f"CASE WHEN {inspected} AND {problem} AND g.i % 3 = 0 THEN CAST({day} AS {date_cast}) END "
            f"FROM {_numbers(d, n)}")
        sql("INSERT INTO publications (kind, source_key, department_id, task_id, inspection_id, counted_from, "
            "working_days, due_on, published_on, \"where\", note, published_by) "
            "SELECT '检查结果', '检查结果:' || i.id, t.initiating_department_id, i.task_id, i.id, i.inspected_on, "
            "20, i.inspected_on, CASE WHEN i.id % 10 <> 7 THEN i.inspected_on END, "
            "CASE WHEN i.id % 10 <> 7 THEN '国家企业信用信息公示系统' ELSE '' END, '', '' "
            "FROM inspections i JOIN tasks t ON t.id = i.task_id WHERE i.status = '审核通过'")
    with db.engine.begin() as c:
        c.exec_driver_sql("ANALYZE")


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(db: Database, n: int) -> bool:
    def count():
        with db.engine.connect() as c:
            return c.exec_driver_sql("SELECT count(*) FROM inspections").scalar()

    timed(count)  # warm the cache once, as a clerk's second look would
    base, counted = min((timed(count) for _ in range(3)), key=lambda r: r[0])
    assert counted == n, counted
    print(f"{db.engine.dialect.name}: SELECT count(*) FROM inspections = {counted}：{base * 1000:.0f} ms（基准）")
    ok = True
    for label, fn in (
        ("月报表（一个部门一个月）", lambda: monthly.monthly_report(db, "青禾县第7局", YEAR, 7)),
        ("月报表（县双随机办，含全县本系统）", lambda: monthly.monthly_report(db, "青禾县第1局", YEAR, 7, county=True)),
        ("全年统计（按月、部门、区域、检查结果等）", lambda: statistics.year_statistics(db, YEAR)),
    ):
        timed(fn)
        seconds, result = min((timed(fn) for _ in range(2)), key=lambda r: r[0])
        ok &= seconds <= TARGET_SECONDS
        print(f"  {label}：{seconds * 1000:.0f} ms，为 count(*) 的 {seconds / base:.1f} 倍"
              f"（目标 ≤ {TARGET_SECONDS:.0f} s：{'达到' if seconds <= TARGET_SECONDS else '未达到'}）")
    stats = statistics.year_statistics(db, YEAR)
    assert stats.total.drawn == n, stats.total
    return ok


def main(argv: list[str]) -> int:
    n = int(next((a for a in argv if a.isdigit()), 1_000_000))
    ok = True
    if "--no-sqlite" not in argv:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'county.sqlite3'}")
            upgrade(db.engine)
            seconds, _ = timed(lambda: generate(db, n))
            print(f"生成 {n} 条检查记录（SQLite）：{seconds:.1f} s")
            ok = measure(db, n)
            db.dispose()
    if "--pg" in argv:
        from tests.pg_server import PostgresServer

        server = PostgresServer().start()
        try:
            db = Database(server.create_database("bench_reports"))
            upgrade(db.engine)
            seconds, _ = timed(lambda: generate(db, n))
            print(f"生成 {n} 条检查记录（PostgreSQL）：{seconds:.1f} s")
            measure(db, n)  # PostgreSQL is measured, the target is SQLite's
            db.dispose()
        finally:
            server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
