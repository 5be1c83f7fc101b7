"""both signatories of a signing, agenda presenters on file, a delegation's make-up and approximate dignitaries

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MAKEUP = ('officials_count', 'business_count', 'press_count')


def upgrade() -> None:
    with op.batch_alter_table('signing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_signatory', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('partner_signatory_person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_signing_partner_signatory_person', 'person',
                                    ['partner_signatory_person_id'], ['id'])
        batch_op.create_index('ix_signing_signatory_person_id', ['signatory_person_id'])
        batch_op.create_index('ix_signing_partner_signatory_person_id', ['partner_signatory_person_id'])
    # a remote row of the partner's party named the partner's signer in the one signatory column
    op.execute("UPDATE signing SET partner_signatory = signatory, partner_signatory_person_id = signatory_person_id, "
               "signatory = '', signatory_person_id = NULL WHERE party = 'partner'")
    with op.batch_alter_table('agendaitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenter_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('presenter_org_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_agendaitem_presenter_person', 'person', ['presenter_person_id'], ['id'])
        batch_op.create_foreign_key('fk_agendaitem_presenter_org', 'organisation', ['presenter_org_id'], ['id'])
        batch_op.create_index('ix_agendaitem_presenter_person_id', ['presenter_person_id'])
        batch_op.create_index('ix_agendaitem_presenter_org_id', ['presenter_org_id'])
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dignitaries_approx', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        for name in MAKEUP:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegation', schema=None) as batch_op:
        for name in reversed(MAKEUP):
            batch_op.drop_column(name)
        batch_op.drop_column('dignitaries_approx')
    with op.batch_alter_table('agendaitem', schema=None) as batch_op:
        batch_op.drop_index('ix_agendaitem_presenter_org_id')
        batch_op.drop_index('ix_agendaitem_presenter_person_id')
        batch_op.drop_constraint('fk_agendaitem_presenter_org', type_='foreignkey')
        batch_op.drop_constraint('fk_agendaitem_presenter_person', type_='foreignkey')
        batch_op.drop_column('presenter_org_id')
        batch_op.drop_column('presenter_person_id')
    op.execute("UPDATE signing SET signatory = partner_signatory, signatory_person_id = partner_signatory_person_id "
               "WHERE party = 'partner'")
    with op.batch_alter_table('signing', schema=None) as batch_op:
        batch_op.drop_index('ix_signing_partner_signatory_person_id')
        batch_op.drop_index('ix_signing_signatory_person_id')
        batch_op.drop_constraint('fk_signing_partner_signatory_person', type_='foreignkey')
        batch_op.drop_column('partner_signatory_person_id')
        batch_op.drop_column('partner_signatory')
