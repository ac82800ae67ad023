"""Delivery claims: a run claims an athlete's date ('sending') before it sends, so no other run sends it too.

Adds the statuses 'sending' and 'unknown' (the server may have taken the message) and the
claim's token and expiry.

Revision ID: 0007_delivery_claims
Revises: 0006_athlete_week
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_delivery_claims'
down_revision: str | None = '0006_athlete_week'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries') as batch:
        batch.add_column(sa.Column('claim', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch.drop_constraint(op.f('ck_deliveries_status'), type_='check')
        batch.create_check_constraint(op.f('ck_deliveries_status'),
                                      "status IN ('sending', 'sent', 'failed', 'unknown')")


def downgrade() -> None:
    # the older schema knows only 'sent' and 'failed': an unfinished claim or an uncertain
    # outcome becomes 'failed', with its reason kept
    op.execute("UPDATE deliveries SET error = COALESCE(error, 'claimed, outcome not recorded'), "
               "status = 'failed' WHERE status IN ('sending', 'unknown')")
    with op.batch_alter_table('deliveries') as batch:
        batch.drop_constraint(op.f('ck_deliveries_status'), type_='check')
        batch.create_check_constraint(op.f('ck_deliveries_status'), "status IN ('sent', 'failed')")
        batch.drop_column('claimed_until')
        batch.drop_column('claim')
