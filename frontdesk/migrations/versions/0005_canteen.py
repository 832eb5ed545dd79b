"""canteen: elder canteen tables (sessions, funders, subsidy rules, tickets, pre-orders)

Revision ID: 0005_canteen
Revises: 0004_checkin
Create Date: 2026-11-22 12:53:23.479840
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models


revision = '0005_canteen'
down_revision = '0004_checkin'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('canteen_funder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('is_self', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_funder')),
    sa.UniqueConstraint('name', name=op.f('uq_canteen_funder_name'))
    )
    op.create_table('canteen_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('menu', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_session')),
    sa.UniqueConstraint('name', name=op.f('uq_canteen_session_name'))
    )
    op.create_table('canteen_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('menu', sa.Text(), nullable=True),
    sa.Column('price_fen', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['canteen_session.id'], name=op.f('fk_canteen_day_session_id_canteen_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_day')),
    sa.UniqueConstraint('session_id', 'business_date', name=op.f('uq_canteen_day_session_id'))
    )
    op.create_table('canteen_pre_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('meal_type', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=100), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_canteen_pre_order_resident_id_resident')),
    sa.ForeignKeyConstraint(['session_id'], ['canteen_session.id'], name=op.f('fk_canteen_pre_order_session_id_canteen_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_pre_order'))
    )
    with op.batch_alter_table('canteen_pre_order', schema=None) as batch_op:
        batch_op.create_index('ix_canteen_pre_order_day', ['business_date', 'session_id'], unique=False)

    op.create_table('canteen_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('tags', sa.String(length=200), nullable=False),
    sa.Column('hukou', sa.String(length=16), nullable=True),
    sa.Column('meal_types', sa.String(length=60), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('min_price_fen', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('updated_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['canteen_session.id'], name=op.f('fk_canteen_rule_session_id_canteen_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_rule'))
    )
    op.create_table('canteen_rule_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('is_rest', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['funder_id'], ['canteen_funder.id'], name=op.f('fk_canteen_rule_share_funder_id_canteen_funder')),
    sa.ForeignKeyConstraint(['rule_id'], ['canteen_rule.id'], name=op.f('fk_canteen_rule_share_rule_id_canteen_rule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_rule_share'))
    )
    op.create_table('canteen_ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('session_name', sa.String(length=20), nullable=False),
    sa.Column('meal_type', sa.String(length=16), nullable=False),
    sa.Column('diner_kind', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('diner_name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('self_pay_fen', sa.Integer(), nullable=False),
    sa.Column('subsidised', sa.Boolean(), nullable=False),
    sa.Column('subsidy_slot', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_reason', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('payment', sa.String(length=16), nullable=False),
    sa.Column('collector', sa.String(length=100), nullable=True),
    sa.Column('route', sa.String(length=50), nullable=True),
    sa.Column('delivery_status', sa.String(length=16), nullable=True),
    sa.Column('delivery_note', sa.Text(), nullable=True),
    sa.Column('delivered_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('follow_up_done', sa.Boolean(), nullable=False),
    sa.Column('pre_order_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('printed_count', sa.Integer(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['pre_order_id'], ['canteen_pre_order.id'], name=op.f('fk_canteen_ticket_pre_order_id_canteen_pre_order')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_canteen_ticket_resident_id_resident')),
    sa.ForeignKeyConstraint(['rule_id'], ['canteen_rule.id'], name=op.f('fk_canteen_ticket_rule_id_canteen_rule')),
    sa.ForeignKeyConstraint(['session_id'], ['canteen_session.id'], name=op.f('fk_canteen_ticket_session_id_canteen_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_canteen_ticket_number'))
    )
    with op.batch_alter_table('canteen_ticket', schema=None) as batch_op:
        batch_op.create_index('ix_canteen_ticket_day', ['business_date', 'session_id'], unique=False)
        batch_op.create_index('ix_canteen_ticket_resident', ['resident_id', 'business_date'], unique=False)
        batch_op.create_index('uq_canteen_ticket_subsidy_slot', ['resident_id', 'business_date', 'session_id', 'subsidy_slot'], unique=True, sqlite_where=sa.text('subsidised AND NOT voided'), postgresql_where=sa.text('subsidised AND NOT voided'))

    op.create_table('canteen_ticket_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.Column('funder_name', sa.String(length=50), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funder_id'], ['canteen_funder.id'], name=op.f('fk_canteen_ticket_share_funder_id_canteen_funder')),
    sa.ForeignKeyConstraint(['ticket_id'], ['canteen_ticket.id'], name=op.f('fk_canteen_ticket_share_ticket_id_canteen_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_ticket_share')),
    sa.UniqueConstraint('ticket_id', 'funder_id', name=op.f('uq_canteen_ticket_share_ticket_id'))
    )



def downgrade() -> None:

    op.drop_table('canteen_ticket_share')
    with op.batch_alter_table('canteen_ticket', schema=None) as batch_op:
        batch_op.drop_index('uq_canteen_ticket_subsidy_slot', sqlite_where=sa.text('subsidised AND NOT voided'), postgresql_where=sa.text('subsidised AND NOT voided'))
        batch_op.drop_index('ix_canteen_ticket_resident')
        batch_op.drop_index('ix_canteen_ticket_day')

    op.drop_table('canteen_ticket')
    op.drop_table('canteen_rule_share')
    op.drop_table('canteen_rule')
    with op.batch_alter_table('canteen_pre_order', schema=None) as batch_op:
        batch_op.drop_index('ix_canteen_pre_order_day')

    op.drop_table('canteen_pre_order')
    op.drop_table('canteen_day')
    op.drop_table('canteen_session')
    op.drop_table('canteen_funder')

