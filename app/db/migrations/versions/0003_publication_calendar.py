"""公示 tracking: where each publication comes from (source, department, inspection), who
marked it published, and the year arrangements an administrator enters by hand.

The publications table was created empty in 0001 and nothing wrote to it before this
revision, so the new NOT NULL source_key needs no backfill.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holiday_arrangements',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('makeup_days', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('entered_by', sa.String(length=100), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_holiday_arrangements'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=60), nullable=False))
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('inspection_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_by', sa.String(length=100), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_publications_source_key'), ['source_key'])
        batch_op.create_index(batch_op.f('ix_publications_department_id'), ['department_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_publications_department_id_departments'),
                                    'departments', ['department_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_publications_inspection_id_inspections'),
                                    'inspections', ['inspection_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_publications_inspection_id_inspections'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_publications_department_id_departments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_publications_department_id'))
        batch_op.drop_constraint(batch_op.f('uq_publications_source_key'), type_='unique')
        batch_op.drop_column('published_by')
        batch_op.drop_column('inspection_id')
        batch_op.drop_column('department_id')
        batch_op.drop_column('source_key')
    op.drop_table('holiday_arrangements')
