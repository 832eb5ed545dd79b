"""rooms: rooms, closures, partner organisations, booking series and bookings (场地预约)

Revision ID: 0006_rooms
Revises: 0005_canteen
Create Date: 2026-11-22 12:55:13.002582
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models


revision = '0006_rooms'
down_revision = '0005_canteen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('facilities', sa.String(length=500), nullable=False),
    sa.Column('opening_hours', sa.Text(), nullable=False),
    sa.Column('max_minutes', sa.Integer(), nullable=False),
    sa.Column('advance_days', sa.Integer(), nullable=False),
    sa.Column('max_per_month', sa.Integer(), nullable=False),
    sa.Column('allowed_bookers', sa.String(length=100), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['room.id'], name=op.f('fk_room_parent_id_room')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('name', name=op.f('uq_room_name'))
    )
    op.create_table('booking_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('rrule', sa.String(length=500), nullable=False),
    sa.Column('first_start', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('skip_holidays', sa.Boolean(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('booker_kind', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('booker_name', sa.String(length=200), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('split_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_booking_series_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_booking_series_resident_id_resident')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_booking_series_room_id_room')),
    sa.ForeignKeyConstraint(['split_from_id'], ['booking_series.id'], name=op.f('fk_booking_series_split_from_id_booking_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series'))
    )
    op.create_table('room_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_closure_room_id_room')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_closure')),
    sa.UniqueConstraint('room_id', 'day', name=op.f('uq_room_closure_room_id'))
    )
    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('is_exception', sa.Boolean(), nullable=False),
    sa.Column('start', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('end', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('booker_kind', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('booker_name', sa.String(length=200), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.Column('checked_in_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_booking_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_booking_resident_id_resident')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_booking_room_id_room')),
    sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], name=op.f('fk_booking_series_id_booking_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index('ix_booking_business_date', ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_booking_room_start', ['room_id', 'start'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_series_id'), ['series_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_series_id'))
        batch_op.drop_index('ix_booking_room_start')
        batch_op.drop_index(batch_op.f('ix_booking_resident_id'))
        batch_op.drop_index(batch_op.f('ix_booking_organisation_id'))
        batch_op.drop_index('ix_booking_business_date')

    op.drop_table('booking')
    op.drop_table('room_closure')
    op.drop_table('booking_series')
    op.drop_table('room')
    op.drop_table('organisation')
