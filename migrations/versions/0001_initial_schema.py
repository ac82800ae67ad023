"""Initial schema: athletes, race results, workouts, reps, proposals.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('athletes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sport', sa.String(length=16), nullable=False),
    sa.Column('goal', sa.String(length=16), nullable=False),
    sa.Column('race_date', sa.Date(), nullable=True),
    sa.Column('units', sa.String(length=2), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('rest_days', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("units IN ('km', 'mi')", name=op.f('ck_athletes_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_athletes')),
    sa.UniqueConstraint('name', name=op.f('uq_athletes_name'))
    )
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('session', sa.JSON(), nullable=False),
    sa.Column('fired', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('rules_version', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_proposals_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('athlete_id', 'date', name='uq_proposals_athlete_id_date')
    )
    op.create_table('race_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=False),
    sa.Column('time_s', sa.Float(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.CheckConstraint('distance_m > 0', name=op.f('ck_race_results_distance_positive')),
    sa.CheckConstraint('time_s > 0', name=op.f('ck_race_results_time_positive')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_race_results_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_race_results'))
    )
    op.create_index(op.f('ix_race_results_athlete_id'), 'race_results', ['athlete_id'], unique=False)
    op.create_table('workouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.DateTime(), nullable=True),
    sa.Column('sport', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('kind_inferred', sa.Boolean(), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=True),
    sa.Column('elapsed_s', sa.Float(), nullable=True),
    sa.Column('rpe', sa.Integer(), nullable=True),
    sa.Column('avg_hr', sa.Integer(), nullable=True),
    sa.Column('max_hr', sa.Integer(), nullable=True),
    sa.Column('cadence', sa.Float(), nullable=True),
    sa.Column('elevation_gain_m', sa.Float(), nullable=True),
    sa.Column('soreness', sa.Integer(), nullable=True),
    sa.Column('sleep_h', sa.Float(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('form_broke_at', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('dedupe_key', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('distance_m IS NULL OR distance_m >= 0', name=op.f('ck_workouts_distance_not_negative')),
    sa.CheckConstraint('duration_s IS NULL OR duration_s > 0', name=op.f('ck_workouts_duration_positive')),
    sa.CheckConstraint('rpe IS NULL OR (rpe >= 1 AND rpe <= 10)', name=op.f('ck_workouts_rpe_range')),
    sa.CheckConstraint('sleep_h IS NULL OR (sleep_h >= 0 AND sleep_h <= 24)', name=op.f('ck_workouts_sleep_range')),
    sa.CheckConstraint('soreness IS NULL OR (soreness >= 0 AND soreness <= 10)', name=op.f('ck_workouts_soreness_range')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_workouts_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workouts')),
    sa.UniqueConstraint('athlete_id', 'dedupe_key', name='uq_workouts_athlete_id_dedupe_key')
    )
    op.create_index('ix_workouts_athlete_id_date', 'workouts', ['athlete_id', 'date'], unique=False)
    op.create_table('reps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workout_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=True),
    sa.Column('target_pace_s_per_km', sa.Float(), nullable=True),
    sa.Column('actual_pace_s_per_km', sa.Float(), nullable=True),
    sa.Column('avg_hr', sa.Integer(), nullable=True),
    sa.Column('cadence', sa.Float(), nullable=True),
    sa.CheckConstraint('position >= 1', name=op.f('ck_reps_position_positive')),
    sa.ForeignKeyConstraint(['workout_id'], ['workouts.id'], name=op.f('fk_reps_workout_id_workouts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reps')),
    sa.UniqueConstraint('workout_id', 'position', name='uq_reps_workout_id_position')
    )


def downgrade() -> None:
    op.drop_table('reps')
    op.drop_index('ix_workouts_athlete_id_date', table_name='workouts')
    op.drop_table('workouts')
    op.drop_index(op.f('ix_race_results_athlete_id'), table_name='race_results')
    op.drop_table('race_results')
    op.drop_table('proposals')
    op.drop_table('athletes')
