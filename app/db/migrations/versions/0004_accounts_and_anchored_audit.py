"""Accounts with several roles, four-eyes on plans, and an audit log anchored by sequence numbers.

users: ``role`` becomes ``roles`` (a JSON list), plus the lockout counters and the
must-change-password flag. plans: who submitted (four-eyes) and who approved.
audit_log: ``seq`` (1, 2, 3 … in the hash), the account's username, the role used,
the PC, and ``scheme`` — entries written before this revision keep their old hash
(scheme 1, without these fields): rewriting them would itself rewrite history.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scheme', sa.SmallInteger(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('username', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('role', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pc', sa.String(length=100), server_default='', nullable=False))
    op.execute("UPDATE audit_log SET seq = (SELECT COUNT(*) FROM audit_log AS earlier WHERE earlier.id <= audit_log.id)")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seq'), ['seq'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
    as_json = "CAST('[\"' || role || '\"]' AS json)" if bind.dialect.name == 'postgresql' else "'[\"' || role || '\"]'"
    op.execute(f"UPDATE users SET roles = {as_json}")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('roles', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('role')

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=50), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('approved_by')
        batch_op.drop_column('submitted_by')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=10), server_default='', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('roles')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seq'), type_='unique')
        batch_op.drop_column('pc')
        batch_op.drop_column('role')
        batch_op.drop_column('username')
        batch_op.drop_column('scheme')
        batch_op.drop_column('seq')
