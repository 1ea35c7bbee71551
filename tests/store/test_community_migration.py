"""Revision 0002_community adds the community tables after 0001, and takes them away again."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from dxatlas.store.database import alembic_config, make_engine, migrate, table_names

COMMUNITY = {"users", "user_sessions", "questions", "answers", "tickets", "ticket_comments"}


def test_the_revision_follows_the_first() -> None:
    engine = make_engine("sqlite://")
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    revision = scripts.get_revision("0002_community")
    assert revision is not None and revision.down_revision == "0001"


def test_upgrade_adds_and_downgrade_removes_the_community_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine, "0001")
    assert not COMMUNITY & table_names(engine)
    migrate(engine, "0002_community")
    assert table_names(engine) >= COMMUNITY | {"documents", "evidence"}
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    tables = table_names(engine)
    assert not COMMUNITY & tables
    assert {"documents", "evidence", "concepts"} <= tables  # 0001's tables are kept
    engine.dispose()
