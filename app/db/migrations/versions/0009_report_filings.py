"""Reports registered as sent (报送) to the county 双随机办: 月报表, quarterly and yearly 落实情况.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 00:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'report_filings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('period', sa.Integer(), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('filed_by', sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_report_filings_department_id_departments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_filings')),
        sa.UniqueConstraint('kind', 'department_id', 'year', 'period',
                            name=op.f('uq_report_filings_kind_department_id_year_period')),
    )


def downgrade() -> None:
    op.drop_table('report_filings')
