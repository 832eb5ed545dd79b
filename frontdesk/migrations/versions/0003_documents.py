"""documents: the archive of printed documents (PDF bytes, SHA-256, reprint count)

Revision ID: 0003_documents
Revises: 0002_residents
Create Date: 2026-11-22 12:54:54.681898
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models

revision = '0003_documents'
down_revision = '0002_residents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('record_type', sa.String(length=64), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('paper', sa.String(length=16), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_username', sa.String(length=64), nullable=False),
    sa.Column('operator_name', sa.String(length=100), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('reprint_count', sa.Integer(), nullable=False),
    sa.Column('last_reprinted_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_document_operator_id_operator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_document_record', ['record_type', 'record_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_record')
        batch_op.drop_index(batch_op.f('ix_document_kind'))
        batch_op.drop_index(batch_op.f('ix_document_business_date'))

    op.drop_table('document')
