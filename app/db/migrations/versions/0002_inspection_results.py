"""检查实施与结果: 核查方式, the set of result categories, 后续处置 with its details, 完结, and the review.

Existing rows get empty lists and blank text (nothing had been entered before this revision);
result_category and handling become Text, since several categories or follow-ups are now
printed joined by 、.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_EMPTY_LIST = sa.text("'[]'")
_TEXT_COLUMNS = ('copied_to', 'entered_by', 'submitted_by', 'reviewed_by', 'returned_reason')
_DATE_COLUMNS = ('rectify_by', 'closed_on')
_TIME_COLUMNS = ('entered_at', 'submitted_at', 'reviewed_at')


def upgrade() -> None:
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        for name in ('methods', 'categories', 'follow_ups'):
            batch_op.add_column(sa.Column(name, sa.JSON(), server_default=_EMPTY_LIST, nullable=False))
        batch_op.add_column(sa.Column('copied_to', sa.String(length=100), server_default='', nullable=False))
        for name in ('entered_by', 'submitted_by', 'reviewed_by'):
            batch_op.add_column(sa.Column(name, sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('returned_reason', sa.Text(), server_default='', nullable=False))
        for name in _DATE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in _TIME_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.DateTime(), nullable=True))
        batch_op.alter_column('result_category', existing_type=sa.String(length=50), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column('handling', existing_type=sa.String(length=20), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_inspections_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_status'))
        batch_op.alter_column('handling', existing_type=sa.Text(), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.alter_column('result_category', existing_type=sa.Text(), type_=sa.String(length=50),
                              existing_nullable=False)
        for name in ('methods', 'categories', 'follow_ups', *_TEXT_COLUMNS, *_DATE_COLUMNS, *_TIME_COLUMNS):
            batch_op.drop_column(name)
