"""volunteers: volunteers, teams, activities, service records, points ledger, shop

Revision ID: 0007_volunteers
Revises: 0006_rooms
Create Date: 2026-11-22 12:54:46.786031
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models


revision = '0007_volunteers'
down_revision = '0006_rooms'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('points_ledger_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_ledger_head'))
    )
    op.create_table('shop_goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('points_price', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.CheckConstraint('points_price > 0', name=op.f('ck_shop_goods_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_shop_goods_stock_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_goods')),
    sa.UniqueConstraint('name', name=op.f('uq_shop_goods_name'))
    )
    op.create_table('volunteer_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('points_per_hour', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_category')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_category_name'))
    )
    op.create_table('volunteer_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('fixed_points', sa.Integer(), nullable=True),
    sa.Column('cap_minutes', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['volunteer_category.id'], name=op.f('fk_volunteer_activity_category_id_volunteer_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_activity')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_activity_name'))
    )
    op.create_table('volunteer_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('leader_resident_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['leader_resident_id'], ['resident.id'], name=op.f('fk_volunteer_team_leader_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_team')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_team_name'))
    )
    op.create_table('volunteer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('skills', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_volunteer_balance_not_negative')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_volunteer_resident_id_resident')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_team.id'], name=op.f('fk_volunteer_team_id_volunteer_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer')),
    sa.UniqueConstraint('number', name=op.f('uq_volunteer_number')),
    sa.UniqueConstraint('resident_id', name=op.f('uq_volunteer_resident_id'))
    )
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_team_id'), ['team_id'], unique=False)

    op.create_table('redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('total_points', sa.Integer(), nullable=False),
    sa.Column('balance_before', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reversed_reason', sa.Text(), nullable=False),
    sa.Column('reversed_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('reversed_by', sa.String(length=64), nullable=True),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_redemption_volunteer_id_volunteer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption')),
    sa.UniqueConstraint('number', name=op.f('uq_redemption_number')),
    sa.UniqueConstraint('request_key', name=op.f('uq_redemption_request_key'))
    )
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('volunteer_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('issued_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_volunteer_certificate_volunteer_id_volunteer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_volunteer_certificate_number'))
    )
    op.create_table('volunteer_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('service_date', sa.Date(), nullable=False),
    sa.Column('started_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('ended_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('credited_minutes', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('verified_by', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('minutes >= 0 AND minutes <= 1440', name=op.f('ck_volunteer_service_minutes_in_a_day')),
    sa.ForeignKeyConstraint(['activity_id'], ['volunteer_activity.id'], name=op.f('fk_volunteer_service_activity_id_volunteer_activity')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_volunteer_service_volunteer_id_volunteer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_service')),
    sa.UniqueConstraint('request_key', name=op.f('uq_volunteer_service_request_key'))
    )
    with op.batch_alter_table('volunteer_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_service_service_date'), ['service_date'], unique=False)
        batch_op.create_index('ix_volunteer_service_volunteer_date', ['volunteer_id', 'service_date'], unique=False)

    op.create_table('points_entry',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('source_key', sa.String(length=64), nullable=True),
    sa.Column('service_record_id', sa.Integer(), nullable=True),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_points_entry_redemption_id_redemption')),
    sa.ForeignKeyConstraint(['reverses_id'], ['points_entry.id'], name=op.f('fk_points_entry_reverses_id_points_entry')),
    sa.ForeignKeyConstraint(['service_record_id'], ['volunteer_service.id'], name=op.f('fk_points_entry_service_record_id_volunteer_service')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_points_entry_volunteer_id_volunteer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entry')),
    sa.UniqueConstraint('source_key', name=op.f('uq_points_entry_source_key'))
    )
    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_entry_business_date'), ['business_date'], unique=False)
        batch_op.create_index('ix_points_entry_volunteer', ['volunteer_id', 'id'], unique=False)

    op.create_table('redemption_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('goods_name', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_points', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_redemption_line_goods_id_shop_goods')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_redemption_line_redemption_id_redemption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_line'))
    )
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_line_redemption_id'), ['redemption_id'], unique=False)

    op.create_table('shop_stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('stock_after', sa.Integer(), nullable=False),
    sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_shop_stock_movement_goods_id_shop_goods')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_shop_stock_movement_redemption_id_redemption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_stock_movement'))
    )
    with op.batch_alter_table('shop_stock_movement', schema=None) as batch_op:
        batch_op.create_index('ix_shop_stock_movement_goods', ['goods_id', 'business_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('shop_stock_movement', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_stock_movement_goods')

    op.drop_table('shop_stock_movement')
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemption_line_redemption_id'))

    op.drop_table('redemption_line')
    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_points_entry_volunteer')
        batch_op.drop_index(batch_op.f('ix_points_entry_business_date'))

    op.drop_table('points_entry')
    with op.batch_alter_table('volunteer_service', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_service_volunteer_date')
        batch_op.drop_index(batch_op.f('ix_volunteer_service_service_date'))

    op.drop_table('volunteer_service')
    op.drop_table('volunteer_certificate')
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemption_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_redemption_business_date'))

    op.drop_table('redemption')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_team_id'))

    op.drop_table('volunteer')
    op.drop_table('volunteer_team')
    op.drop_table('volunteer_activity')
    op.drop_table('volunteer_category')
    op.drop_table('shop_goods')
    op.drop_table('points_ledger_head')
