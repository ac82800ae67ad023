"""Check-ins: one morning check-in per athlete and date (sleep, soreness, HRV, resting HR, feel, sick, injured).

Revision ID: 0004_checkins
Revises: 0003_athlete_physiology
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_checkins'
down_revision: str | None = '0003_athlete_physiology'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('sleep_h', sa.Float(), nullable=True),
    sa.Column('soreness', sa.Integer(), nullable=True),
    sa.Column('hrv_ms', sa.Float(), nullable=True),
    sa.Column('resting_hr', sa.Integer(), nullable=True),
    sa.Column('feel', sa.Integer(), nullable=True),
    sa.Column('sick', sa.Boolean(), nullable=False),
    sa.Column('injured', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('soreness IS NULL OR (soreness >= 0 AND soreness <= 10)', name=op.f('ck_checkins_soreness_range')),
    sa.CheckConstraint('sleep_h IS NULL OR (sleep_h >= 0 AND sleep_h <= 24)', name=op.f('ck_checkins_sleep_range')),
    sa.CheckConstraint('feel IS NULL OR (feel >= 1 AND feel <= 5)', name=op.f('ck_checkins_feel_range')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_checkins_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('athlete_id', 'date', name='uq_checkins_athlete_id_date')
    )


def downgrade() -> None:
    op.drop_table('checkins')
