"""The draw's trust gaps closed (issue 16), on both backends: no abandon once the witnesses are
locked, the secret out of the database until the reveal, every earlier attempt on the record."""

from __future__ import annotations

from dataclasses import replace

import json
import os
import shutil
import stat
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from app.domain.statuses import DrawStatus
from app.config import data_dir
from app.db.models import Base, Draw
from app.domain.draw import verify_package
from app.domain.draw.protocol import compute_seed, secret_commitment
from app.services.demo import county as demo
from app.services.draw import record as draw_record
from app.services.draw import ceremony as draws
from app.services.draw import secret_store
from app.services.draw.ceremony import Witness
from app.services.errors import UserError
from tests.actors import CLERK, CLERK2

TODAY = date(2026, 11, 23)
WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]
PC1 = replace(CLERK, pc="会议室电脑")  # the ceremony PC
HOLDER1 = draws.machine_holder(PC1)


@pytest.fixture
def county(database):
    demo.create_demo(database, CLERK, subjects=300, today=TODAY)
    return database, draws.task_draw_states(database)[0].id


def _everything_in_the_database(db) -> str:
    """Every value of every row of every table, as another PC with a database login reads them."""
    parts = []
    with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                parts += [json.dumps(v, ensure_ascii=False, default=str) for v in row]
    return "\n".join(parts)


def test_no_abandon_once_the_witnesses_are_locked_at_any_later_step(county):
    db, task_id = county
    view = draws.start_draw(db, PC1, task_id, TODAY)
    view = draws.record_witnesses(db, PC1, view.id, WITNESSES)
    for step in (None, draws.reveal, draws.select_subjects, draws.match_teams, draws.finish):
        if step:
            view = step(db, PC1, view.id)
        with pytest.raises(UserError, match="不能放弃"):
            draws.abandon(db, PC1, view.id, "结果不满意，重抽")
        assert draws.get_draw(db, view.id).status == view.status
    with pytest.raises(UserError, match="已经抽取"):
        draws.start_draw(db, CLERK2, task_id, TODAY)


def test_what_another_pc_reading_the_database_learns_before_the_reveal(county, monkeypatch, tmp_path):
    db, task_id = county
    view = draws.record_witnesses(db, PC1, draws.start_draw(db, PC1, task_id, TODAY).id, WITNESSES)
    commitment = view.public["commitments"]["secret_commitment"]
    key = secret_store._path(view.id, commitment)
    secret = key.read_text().strip()
    assert secret_commitment(bytes.fromhex(secret)).hex() == commitment
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700

    # What the database holds (docs/draw-protocol.md §5.1): the inputs, the commitments, the digits.
    dump = _everything_in_the_database(db)
    assert secret not in dump and secret.upper() not in dump
    with db.session() as session:
        engine = session.get(Draw, view.id).state["engine"]
    known = {k for k, v in engine.items() if v not in ("", [], None, {})}
    assert known == {"version", "files", "commitments", "witnesses"}  # no beacon given; no secret, no seed
    assert engine["commitments"]["secret_commitment"] == commitment and engine["witnesses"] == [w.digits for w in
                                                                                                 WITNESSES]
    # Everything but K is there: with K the seed follows at once (checked below), without it 2^256 guesses.
    hashes = {n: bytes.fromhex(engine["commitments"][n]) for n in engine["files"]}

    # Another PC (its own data folder) cannot reveal, and cannot abandon: the draw waits for PC 1.
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(tmp_path / "PC2"))
    with pytest.raises(UserError, match=HOLDER1):
        draws.reveal(db, CLERK2, view.id)
    with pytest.raises(UserError, match="不能放弃"):
        draws.abandon(db, CLERK2, view.id, "等不及了")
    assert draws.get_draw(db, view.id).status == DrawStatus.WITNESSED

    # PC 1 reveals; K enters the database with the seed and leaves PC 1's disk.
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(key.parents[1]))
    revealed = draws.reveal(db, PC1, view.id)
    assert revealed.public["secret"] == secret and not key.exists()
    assert revealed.public["seed"] == compute_seed(hashes, engine["witnesses"], bytes.fromhex(secret), b"").hex()
    assert secret in _everything_in_the_database(db)


def test_a_lost_or_altered_secret_file_stops_the_reveal(county):
    db, task_id = county
    view = draws.record_witnesses(db, PC1, draws.start_draw(db, PC1, task_id, TODAY).id, WITNESSES)
    key = secret_store._path(view.id, view.public["commitments"]["secret_commitment"])
    key.write_text("00" * 32 + "\n")
    with pytest.raises(UserError, match="承诺不符"):
        draws.reveal(db, PC1, view.id)
    assert draws.get_draw(db, view.id).status == DrawStatus.WITNESSED


def test_every_earlier_attempt_is_committed_listed_in_the_package_and_printed(county, tmp_path):
    db, task_id = county
    first = draws.start_draw(db, PC1, task_id, TODAY)
    draws.abandon(db, PC1, first.id, "见证人未到场，改期抽取")
    second = draws.start_draw(db, CLERK2, task_id, TODAY)
    draws.abandon(db, CLERK2, second.id, "投影仪故障")
    assert not list((data_dir() / secret_store.FOLDER).glob("*.key"))  # an abandoned attempt's K is gone
    view = draws.start_draw(db, PC1, task_id, TODAY)
    listed = [(a.holder, a.stage, a.commitment, a.reason) for a in view.attempts]
    assert sorted(listed) == sorted([
        (HOLDER1, "prepared", first.public["commitments"]["secret_commitment"], "见证人未到场，改期抽取"),
        (draws.machine_holder(CLERK2), "prepared", second.public["commitments"]["secret_commitment"], "投影仪故障")])
    # in start-time order; two started within the same second (as here, often) follow the line's bytes
    assert [(a.started, a.holder) for a in view.attempts] == sorted((a.started, a.holder) for a in view.attempts)
    assert all(a.started <= a.abandoned for a in view.attempts)
    assert view.public["commitments"]["attempts.tsv"]  # the list is committed before the witnesses
    view = draws.record_witnesses(db, PC1, view.id, WITNESSES)
    for step in (draws.reveal, draws.select_subjects, draws.match_teams, draws.finish):
        view = step(db, PC1, view.id)
    package = draws.export_package(db, view.id, tmp_path / "包")
    record = json.loads((package.folder / "draw.json").read_text(encoding="utf-8"))
    assert [a["reason"] for a in record["attempts"]] == [a.reason for a in view.attempts]
    assert (package.folder / "inputs" / "attempts.tsv").read_text(encoding="utf-8").count("\n") == 2
    assert verify_package(package.folder).passed
    path = draw_record.render_record(db, CLERK, view.id, tmp_path / "记录.docx")
    document = Document(str(path))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "共 2 次" in text and "投影仪故障" in text and second.public["commitments"]["secret_commitment"] in text


def test_a_doctored_attempt_list_fails_verification(county, tmp_path):
    db, task_id = county
    draws.abandon(db, PC1, draws.start_draw(db, PC1, task_id, TODAY).id, "见证人未到场")
    view, package = draws.run_draw(db, PC1, task_id, WITNESSES, "", tmp_path / "包", TODAY)
    forged = tmp_path / "删去一次尝试"
    shutil.copytree(package.folder, forged)
    (forged / "inputs" / "attempts.tsv").write_bytes(b"")
    result = verify_package(forged)
    assert not result.passed and "attempts.tsv" in result.verdict
    assert os.path.isfile(package.zip) and verify_package(package.zip).passed


def test_a_draw_left_by_the_older_protocol_after_its_witnesses_is_abandoned_and_listed_so(county):
    """ssj-draw-v2 allowed abandoning until the reveal; such a draw cannot go on under v3, so it may
    still be abandoned, and the next attempt lists it as having reached 见证人录入 for all to see."""
    db, task_id = county
    with db.session() as session:
        row = Draw(task_id=task_id, protocol_version="ssj-draw-v2", status=DrawStatus.WITNESSED, holder=HOLDER1,
                   state={"engine": {"witnesses": ["0" * 20], "commitments": {"secret_commitment": "ab" * 32}}})
        session.add(row)
        session.flush()
        old = row.id
    with pytest.raises(UserError, match="ssj-draw-v2"):
        draws.get_draw(db, old)
    draws.abandon(db, PC1, old, "升级后旧版抽取不能继续")
    view = draws.start_draw(db, PC1, task_id, TODAY)
    assert [(a.stage, a.commitment, a.reason) for a in view.attempts] == [
        ("witnessed", "ab" * 32, "升级后旧版抽取不能继续")]
    assert draw_record.attempt_rows(view)[0]["步骤"] == "见证人已录入（旧版）"
