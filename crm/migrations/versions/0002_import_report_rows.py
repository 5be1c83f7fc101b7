"""an import's report row by row (importreportrow) instead of one JSON text in importbatch.report

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 06:35:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('importreportrow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entry', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('importreportrow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_importreportrow_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('importreportrow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_importreportrow_batch_id'))
    op.drop_table('importreportrow')
