"""Running tallies of the inspections, kept by the database itself, for statistics and the yearly cap.

A county's statistics and 月报表 read a million inspections; counting them at every look takes
seconds on SQLite. Two small tables hold the counts instead, and triggers on inspections and
publications keep them exact whatever code writes (the services, an import, a restore):

- inspection_tallies: per draw, 检查结果 as printed (未录入 when not yet entered) and region,
  the counts the statistics show (drawn, inspected, problems, follow-ups, closed, handed over,
  results published). A replaced (已替换) inspection counts nowhere.
- subject_year_draws: how often each subject was drawn in the plans of a year (the yearly cap).

inspections gains ``region``: the subject's region when it was drawn, so that a subject moving
later does not move its past inspections between the tallies' rows.

SQLite drops a table's triggers when a migration rebuilds the table (batch_alter_table): a later
revision that rebuilds inspections or publications must create the triggers again
(``create_triggers`` below, copied into that revision).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

REPLACED, NOT_ENTERED, NO_PROBLEM, NO_FOLLOW_UP, RESULT = '已替换', '未录入', '未发现问题', '无需后续处置', '检查结果'
INSPECTION_COLUMNS = ('draw_id', 'task_id', 'subject_id', 'region', 'status', 'inspected_on', 'result_category',
                      'handling', 'closed_on', 'handed_to')
PUBLICATION_COLUMNS = ('kind', 'inspection_id', 'published_on')


def _category(row: str) -> str:
    return (f"CASE WHEN {row}.inspected_on IS NULL THEN '{NOT_ENTERED}' "
            f"ELSE COALESCE(NULLIF({row}.result_category, ''), '{NOT_ENTERED}') END")


def _measures(row: str) -> dict[str, str]:
    """Each tally column's condition on one inspection row (the row is live: not 已替换)."""
    follow = f"{row}.handling NOT IN ('', '{NO_FOLLOW_UP}')"
    return {
        'drawn': "1 = 1",
        'inspected': f"{row}.inspected_on IS NOT NULL",
        'problems': f"{row}.inspected_on IS NOT NULL AND {row}.result_category NOT IN ('', '{NO_PROBLEM}')",
        'follow_ups': follow,
        'closed': f"{follow} AND {row}.closed_on IS NOT NULL",
        'handed': f"{row}.handed_to <> ''",
        'published': (f"EXISTS (SELECT 1 FROM publications p WHERE p.inspection_id = {row}.id "
                      f"AND p.kind = '{RESULT}' AND p.published_on IS NOT NULL)"),
    }


def _count_inspection(row: str, sign: int) -> list[str]:
    """Add (sign 1) or take away (sign -1) one inspection row's part of both tallies."""
    measures = _measures(row)
    values = ", ".join(f"CASE WHEN {condition} THEN {sign} ELSE 0 END" for condition in measures.values())
    added = ", ".join(f"{name} = inspection_tallies.{name} + excluded.{name}" for name in measures)
    return [
        f"INSERT INTO inspection_tallies (draw_id, category, region, {', '.join(measures)}) "
        f"SELECT {row}.draw_id, {_category(row)}, {row}.region, {values} WHERE {row}.status <> '{REPLACED}' "
        f"ON CONFLICT (draw_id, category, region) DO UPDATE SET {added}",
        f"INSERT INTO subject_year_draws (subject_id, year, times) "
        f"SELECT {row}.subject_id, pl.year, {sign} FROM tasks t JOIN plans pl ON pl.id = t.plan_id "
        f"WHERE t.id = {row}.task_id AND {row}.status <> '{REPLACED}' "
        f"ON CONFLICT (subject_id, year) DO UPDATE SET times = subject_year_draws.times + excluded.times",
    ]


def _count_publication(row: str, sign: int) -> list[str]:
    """A published 检查结果 (or its undoing) counts in its inspection's tally row."""
    return [
        f"UPDATE inspection_tallies SET published = published + {sign} "
        f"WHERE {row}.kind = '{RESULT}' AND {row}.published_on IS NOT NULL AND (draw_id, category, region) = "
        f"(SELECT i.draw_id, {_category('i')}, i.region FROM inspections i "
        f"WHERE i.id = {row}.inspection_id AND i.status <> '{REPLACED}')",
    ]


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def _sqlite_triggers(table: str, columns: tuple[str, ...], count) -> list[str]:
    events = (('insert', 'INSERT', '', count('NEW', 1)),
              ('delete', 'DELETE', '', count('OLD', -1)),
              ('update', 'UPDATE', f" WHEN {_changed(columns, 'IS NOT')}", count('OLD', -1) + count('NEW', 1)))
    return [f"CREATE TRIGGER tally_{table}_{name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN "
            + "; ".join(body) + "; END" for name, event, when, body in events]


def _postgresql_triggers(table: str, columns: tuple[str, ...], count) -> list[str]:
    function = f"tally_{table}"
    body = (f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {'; '.join(count('OLD', -1))}; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {'; '.join(count('NEW', 1))}; END IF; RETURN NULL;")
    return [
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$",
        f"CREATE TRIGGER {function}_insert_delete AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} FOR EACH ROW "
        f"WHEN ({_changed(columns, 'IS DISTINCT FROM')}) EXECUTE FUNCTION {function}()",
    ]


def create_triggers(dialect: str) -> None:
    make = _postgresql_triggers if dialect == 'postgresql' else _sqlite_triggers
    for statement in (make('inspections', INSPECTION_COLUMNS, _count_inspection)
                      + make('publications', PUBLICATION_COLUMNS, _count_publication)):
        op.execute(statement)


def drop_triggers(dialect: str) -> None:
    for table in ('inspections', 'publications'):
        if dialect == 'postgresql':
            op.execute(f"DROP FUNCTION IF EXISTS tally_{table}() CASCADE")
        else:
            for name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER IF EXISTS tally_{table}_{name}")


def _fill() -> None:
    """The tallies of the inspections already stored."""
    measures = _measures('i')
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in measures.values())
    op.execute(f"INSERT INTO inspection_tallies (draw_id, category, region, {', '.join(measures)}) "
               f"SELECT i.draw_id, {_category('i')}, i.region, {sums} FROM inspections i "
               f"WHERE i.status <> '{REPLACED}' GROUP BY i.draw_id, {_category('i')}, i.region")
    op.execute("INSERT INTO subject_year_draws (subject_id, year, times) "
               "SELECT i.subject_id, pl.year, COUNT(*) FROM inspections i JOIN tasks t ON t.id = i.task_id "
               f"JOIN plans pl ON pl.id = t.plan_id WHERE i.status <> '{REPLACED}' GROUP BY i.subject_id, pl.year")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('inspections', sa.Column('region', sa.String(length=100), server_default='', nullable=False))
    op.execute("UPDATE inspections SET region = COALESCE("
               "(SELECT s.region FROM subjects s WHERE s.id = inspections.subject_id), '')")
    op.create_table(
        'inspection_tallies',
        sa.Column('draw_id', sa.Integer(), sa.ForeignKey('draws.id', name='fk_inspection_tallies_draw_id_draws'),
                  nullable=False),
        sa.Column('category', sa.Text(), nullable=False),
        sa.Column('region', sa.String(length=100), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default='0', nullable=False)
          for name in ('drawn', 'inspected', 'problems', 'follow_ups', 'closed', 'handed', 'published')),
        sa.PrimaryKeyConstraint('draw_id', 'category', 'region', name='pk_inspection_tallies'),
    )
    op.create_table(
        'subject_year_draws',
        sa.Column('subject_id', sa.Integer(),
                  sa.ForeignKey('subjects.id', name='fk_subject_year_draws_subject_id_subjects'), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('times', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('subject_id', 'year', name='pk_subject_year_draws'),
    )
    op.create_index('ix_subject_year_draws_year_times', 'subject_year_draws', ['year', 'times'])
    op.create_index('ix_publications_inspection_id', 'publications', ['inspection_id'])
    op.create_index('ix_publications_kind_published_on', 'publications', ['kind', 'published_on', 'where'])
    _fill()
    create_triggers(dialect)


def downgrade() -> None:
    drop_triggers(op.get_bind().dialect.name)
    op.drop_index('ix_publications_kind_published_on', table_name='publications')
    op.drop_index('ix_publications_inspection_id', table_name='publications')
    op.drop_index('ix_subject_year_draws_year_times', table_name='subject_year_draws')
    op.drop_table('subject_year_draws')
    op.drop_table('inspection_tallies')
    with op.batch_alter_table('inspections') as batch_op:
        batch_op.drop_column('region')
