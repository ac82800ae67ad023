"""Persistence: SQLAlchemy models, repositories, the unit of work, and file readers.

    from coach.storage import open_store
    with open_store(db_url) as store, store.unit_of_work() as uow:
        ...

Names are imported lazily so that importing a sub-module (a file reader, say) does not
pull in SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from coach.storage.db import DatabaseError, Store, open_store
    from coach.storage.unit_of_work import UnitOfWork

__all__ = ["open_store", "Store", "DatabaseError", "UnitOfWork"]


def __getattr__(name: str) -> Any:
    if name in {"open_store", "Store", "DatabaseError"}:
        from coach.storage import db

        return getattr(db, name)
    if name == "UnitOfWork":
        from coach.storage.unit_of_work import UnitOfWork

        return UnitOfWork
    raise AttributeError(f"module 'coach.storage' has no attribute {name!r}")
