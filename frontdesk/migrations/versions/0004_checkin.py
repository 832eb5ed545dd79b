"""checkin: purposes, check-ins, tallies and group visits (签到), with default purposes

Revision ID: 0004_checkin
Revises: 0003_documents
Create Date: 2026-11-22 12:53:19.755275
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontdesk.core.models


revision = '0004_checkin'
down_revision = '0003_documents'
branch_labels = None
depends_on = None


# The 1+6+X default purposes and tally groups a new centre starts with (admins edit them).
DEFAULT_PURPOSES = [
    ("党建活动", "party", "1"), ("助老服务", "elder", "2"), ("四点钟学校", "child", "3"),
    ("健康咨询", "health", "4"), ("长者食堂", "food", "5"), ("文体活动", "leisure", "6"),
    ("便民办事", "errand", "7"), ("红蜂驿站", "x", "8"), ("其他", "x", "9"),
]
DEFAULT_TALLY_GROUPS = ["外卖员", "快递员", "环卫工人", "其他"]


def upgrade() -> None:
    purposes = op.create_table('checkin_purpose',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('area', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('hotkey', sa.String(length=1), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_purpose')),
    sa.UniqueConstraint('name', name=op.f('uq_checkin_purpose_name'))
    )
    tally_groups = op.create_table('tally_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_group')),
    sa.UniqueConstraint('name', name=op.f('uq_tally_group_name'))
    )
    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('purpose_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('checked_out_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('confirmed_repeat', sa.Boolean(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.String(length=200), nullable=True),
    sa.Column('voided_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_checkin_operator_id_operator')),
    sa.ForeignKeyConstraint(['purpose_id'], ['checkin_purpose.id'], name=op.f('fk_checkin_purpose_id_checkin_purpose')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_checkin_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin'))
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_business_date', ['business_date'], unique=False)
        batch_op.create_index('ix_checkin_resident_at', ['resident_id', 'checked_in_at'], unique=False)

    op.create_table('group_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=100), nullable=False),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('purpose_id', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=100), nullable=True),
    sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.String(length=200), nullable=True),
    sa.Column('voided_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_group_visit_operator_id_operator')),
    sa.ForeignKeyConstraint(['purpose_id'], ['checkin_purpose.id'], name=op.f('fk_group_visit_purpose_id_checkin_purpose')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_visit'))
    )
    with op.batch_alter_table('group_visit', schema=None) as batch_op:
        batch_op.create_index('ix_group_visit_business_date', ['business_date'], unique=False)

    op.create_table('tally_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('at', frontdesk.core.models.AwareDateTime(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.String(length=200), nullable=True),
    sa.Column('voided_at', frontdesk.core.models.AwareDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['tally_group.id'], name=op.f('fk_tally_entry_group_id_tally_group')),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_tally_entry_operator_id_operator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_entry'))
    )
    with op.batch_alter_table('tally_entry', schema=None) as batch_op:
        batch_op.create_index('ix_tally_entry_business_date', ['business_date'], unique=False)

    op.bulk_insert(purposes, [
        {"name": name, "area": area, "active": True, "sort_order": i, "hotkey": key}
        for i, (name, area, key) in enumerate(DEFAULT_PURPOSES, start=1)
    ])
    op.bulk_insert(tally_groups, [
        {"name": name, "active": True, "sort_order": i}
        for i, name in enumerate(DEFAULT_TALLY_GROUPS, start=1)
    ])


def downgrade() -> None:
    with op.batch_alter_table('tally_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_tally_entry_business_date')

    op.drop_table('tally_entry')
    with op.batch_alter_table('group_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_group_visit_business_date')

    op.drop_table('group_visit')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_resident_at')
        batch_op.drop_index('ix_checkin_business_date')

    op.drop_table('checkin')
    op.drop_table('tally_group')
    op.drop_table('checkin_purpose')
