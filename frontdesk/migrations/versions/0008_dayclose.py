"""dayclose: the day-close lock (closed_day) and its history (day_close_event)

Revision ID: 0008_dayclose
Revises: 0007_volunteers
Create Date: 2026-11-22 13:04:57.859922
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models

revision = '0008_dayclose'
down_revision = '0007_volunteers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'closed_day',
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('closed', sa.Boolean(), nullable=False),
        sa.Column('closed_at', frontdesk.core.models.AwareDateTime(), nullable=False),
        sa.Column('closed_by', sa.String(length=64), nullable=False),
        sa.Column('counted_cash_json', sa.Text(), nullable=False),
        sa.Column('acknowledged_json', sa.Text(), nullable=False),
        sa.Column('exported_at', frontdesk.core.models.AwareDateTime(), nullable=True),
        sa.Column('export_sha256', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('business_date', name=op.f('pk_closed_day')),
    )
    op.create_table(
        'day_close_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
        sa.Column('operator_username', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('detail_json', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_day_close_event')),
    )
    with op.batch_alter_table('day_close_event', schema=None) as batch_op:
        batch_op.create_index('ix_day_close_event_business_date', ['business_date'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('day_close_event', schema=None) as batch_op:
        batch_op.drop_index('ix_day_close_event_business_date')
    op.drop_table('day_close_event')
    op.drop_table('closed_day')
