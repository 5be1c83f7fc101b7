"""Models' tables and columns as the type checker should see them, for the documents' column selects.

SQLModel types a field as its Python value (`Person.id: int | None`), so a checker takes `Person.id.in_(…)`
for a method of `int`: `sqlmodel.col(Person.id)` says it is a column. A kind's model is known only as
`type[Record]`: its table is `table_of(model)`, an event kind's model `event_model(kind)`, any other column
`column_of(model, name)`.
"""

from typing import Any

from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import SQLModel

from crm.models.base import table_of
from crm.models.events import EventRecord
from crm.models.kinds import Kind

__all__ = ["column_of", "event_model", "table_of"]


def column_of(model: type[SQLModel], name: str) -> InstrumentedAttribute[Any]:
    """The column `name` of a model known only by its base class (entities' names, titles of a kind)."""
    return getattr(model, name)


def event_model(kind: Kind) -> type[EventRecord]:
    """The model of an event kind (every scheduled and city-tie kind is one), typed as an `EventRecord`."""
    if not issubclass(kind.model, EventRecord):
        raise TypeError(f"{kind.name} is not an event kind")
    return kind.model
