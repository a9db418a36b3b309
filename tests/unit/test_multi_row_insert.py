"""The multi-row INSERT the subject import writes SQLite batches with."""

from __future__ import annotations

import sqlite3

from app.services.directory.subject_writer import MultiRowInsert


class _Recording:
    def __init__(self, cursor):
        self.cursor, self.calls = cursor, []

    def execute(self, sql, params):
        self.calls.append(len(params))
        return self.cursor.execute(sql, params)

    def executemany(self, sql, rows):
        self.calls.append(("many", len(rows)))
        return self.cursor.executemany(sql, rows)


def test_rows_go_in_order_in_calls_of_at_most_the_given_size_and_upsert_like_executemany():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (code TEXT UNIQUE, n INTEGER)")
    insert = MultiRowInsert("INSERT INTO t (code, n) VALUES ", "(?, ?)",
                            " ON CONFLICT (code) DO UPDATE SET n = excluded.n", rows_per_call=3)
    cursor = _Recording(connection.cursor())
    insert.run(cursor, [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5), ("d", 6), ("e", 7)])
    assert cursor.calls == [6, 6, 2]
    assert connection.execute("SELECT code, n FROM t ORDER BY rowid").fetchall() == [
        ("a", 3), ("b", 5), ("c", 4), ("d", 6), ("e", 7)]


def test_a_rest_shorter_than_a_full_call_goes_in_power_of_two_calls():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (n INTEGER)")
    cursor = _Recording(connection.cursor())
    MultiRowInsert("INSERT INTO t (n) VALUES ", "(?)", "", rows_per_call=8).run(cursor, [(i,) for i in range(23)])
    assert cursor.calls == [8, 8, 4, 2, 1]
    assert [n for (n,) in connection.execute("SELECT n FROM t ORDER BY rowid")] == list(range(23))


def test_one_row_per_call_is_the_drivers_executemany():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (code TEXT)")
    cursor = _Recording(connection.cursor())
    MultiRowInsert("INSERT INTO t (code) VALUES ", "(?)", "", rows_per_call=1).run(cursor, [("a",), ("b",)])
    assert cursor.calls == [("many", 2)]
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (2,)
