"""检查结果告知书 and 一次一档: what each issued document says and holds, its 作废, 送达, and evidence files.

issued_documents gains the issued file's bytes (every PC on a shared database sees them), the
hash of its text (printed in the QR code), who issued it and its 作废; a partial unique index
keeps one notice in force per inspection. deliveries records 送达; inspection_attachments holds
photos and scans attached to an inspection.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-29 20:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None

_LIVE = "voided_at IS NULL AND inspection_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('text_sha256', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('qr_text', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('issued_by', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_issued_documents_draw_id_draws'), 'draws', ['draw_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_issued_documents_replaces_id_issued_documents'),
                                    'issued_documents', ['replaces_id'], ['id'])
        batch_op.create_index('uq_issued_documents_live', ['kind', 'inspection_id'], unique=True,
                              sqlite_where=sa.text(_LIVE), postgresql_where=sa.text(_LIVE))
    op.create_table(
        'deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('delivered_on', sa.Date(), nullable=False),
        sa.Column('tracking_no', sa.String(length=60), nullable=False),
        sa.Column('recipient', sa.String(length=100), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=50), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'],
                                name=op.f('fk_deliveries_document_id_issued_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
        sa.UniqueConstraint('document_id', name=op.f('uq_deliveries_document_id')),
    )
    op.create_table(
        'inspection_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('added_by', sa.String(length=50), nullable=False),
        sa.Column('added_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], ondelete='CASCADE',
                                name=op.f('fk_inspection_attachments_inspection_id_inspections')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_attachments')),
    )
    with op.batch_alter_table('inspection_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_attachments_inspection_id'), ['inspection_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inspection_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_attachments_inspection_id'))
    op.drop_table('inspection_attachments')
    op.drop_table('deliveries')
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index('uq_issued_documents_live')
        batch_op.drop_constraint(batch_op.f('fk_issued_documents_replaces_id_issued_documents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_issued_documents_draw_id_draws'), type_='foreignkey')
        for name in ('replaces_id', 'void_reason', 'voided_by', 'voided_at', 'issued_by', 'content', 'qr_text',
                     'text_sha256', 'draw_id'):
            batch_op.drop_column(name)
