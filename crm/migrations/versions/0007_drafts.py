"""drafts: record forms' unsaved changes per user, and named drafts of the half-year report

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'formdraft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'record_id', name='uq_formdraft_slot'),
    )
    with op.batch_alter_table('formdraft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_formdraft_user_id'), ['user_id'], unique=False)
    op.create_table(
        'reportdraft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('saved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('reportdraft', schema=None) as batch_op:
        batch_op.create_index('ix_reportdraft_period_lang', ['period', 'lang'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reportdraft', schema=None) as batch_op:
        batch_op.drop_index('ix_reportdraft_period_lang')
    op.drop_table('reportdraft')
    with op.batch_alter_table('formdraft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_formdraft_user_id'))
    op.drop_table('formdraft')
