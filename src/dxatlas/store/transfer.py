"""Export a whole store to one file and import it into another, on any back end, losing nothing.

The file is gzip-compressed JSON Lines (docs/deploy.md describes it for other tools):

    {"format": "dxatlas-export", "format_version": 1, "schema_revision": "0002_community", ...}
    {"table": "documents", "columns": ["id", "source_id", ...], "rows": 2}
    [1, "PMID:1", ...]
    [2, "sha256:...", ...]
    {"table": "sentences", ...}
    ...
    {"end": true, "rows": 1234}

Tables come in dependency order (a row's foreign keys point at rows already read), each in
primary-key order, with ids as stored. Times are ISO 8601 (UTC when the column keeps a time
zone), dates ISO, JSON columns as JSON. Full-text indexes are not exported: import rebuilds them.

Export reads one consistent snapshot. Import refuses a database that holds any row (unless
`replace`), runs in one transaction, resets PostgreSQL's id sequences and rebuilds the full-text
index; a file from an older schema is imported at its revision and then migrated to the latest.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from dxatlas import __version__
from dxatlas.store import fulltext
from dxatlas.store.database import (
    current_revision,
    error_reason,
    head_revision,
    migrate,
    safe_url,
)
from dxatlas.store.errors import StoreError
from dxatlas.store.schema import Base

FORMAT = "dxatlas-export"
FORMAT_VERSION = 1
BATCH_ROWS = 1000

Progress = Callable[[str, int], None]
"""Told (table name, rows just done) as work goes on, for a progress bar."""


class TransferError(StoreError):
    """An export or import that cannot go on; the message names the file or database and why."""


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """The first line of an export: what wrote it, at which schema, and how many rows per table."""

    schema_revision: str
    tables: dict[str, int]
    dxatlas_version: str = __version__
    hpo_version: str | None = None
    source_dialect: str = ""
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "format_version": self.format_version,
            "schema_revision": self.schema_revision,
            "dxatlas_version": self.dxatlas_version,
            "hpo_version": self.hpo_version,
            "source_dialect": self.source_dialect,
            "created_at": self.created_at,
            "tables": self.tables,
        }


# -- the tables and their values ----------------------------------------------------------------


def _is_internal(name: str) -> bool:
    """Tables that are not data: Alembic's version, full-text indexes (and FTS5's shadow tables),
    SQLite's own."""
    return name == "alembic_version" or "_fts" in name or name.startswith("sqlite_")


def data_tables(connection: Connection, *, strict: bool = True) -> list[Table]:
    """The store's tables that the database holds, in dependency order; with `strict`, refuses a
    database with tables this version of dxatlas does not know (exporting without them would
    lose them)."""
    present = {name for name in inspect(connection).get_table_names() if not _is_internal(name)}
    unknown = present - set(Base.metadata.tables)
    if unknown and strict:
        raise TransferError(
            f"database {safe_url(connection.engine.url)} has tables this dxatlas does not know: "
            f"{', '.join(sorted(unknown))} (use the dxatlas version that made them)"
        )
    return [table for table in Base.metadata.sorted_tables if table.name in present]


def _encode(value: Any) -> Any:
    """A column value as JSON (times in UTC when they carry a zone)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _encoder(table: Table) -> Callable[[tuple[Any, ...]], list[Any]]:
    """Encodes one row; a zone-keeping time column's naive values (SQLite) are UTC."""
    zoned = [
        isinstance(column.type, DateTime) and bool(column.type.timezone) for column in table.columns
    ]

    def encode(row: tuple[Any, ...]) -> list[Any]:
        values = []
        for value, utc in zip(row, zoned, strict=True):
            if utc and isinstance(value, datetime) and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            values.append(_encode(value))
        return values

    return encode


def _decoder(table: Table, columns: list[str]) -> Callable[[list[Any]], dict[str, Any]]:
    """Decodes one row of the file into the column values the target database takes."""
    converters: list[Callable[[Any], Any] | None] = []
    for name in columns:
        kind = table.columns[name].type
        if isinstance(kind, DateTime):
            converters.append(_to_datetime(bool(kind.timezone)))
        elif isinstance(kind, Date):
            converters.append(date.fromisoformat)
        elif isinstance(kind, LargeBinary):
            converters.append(base64.b64decode)
        elif isinstance(kind, Numeric) and not isinstance(kind, Float):
            converters.append(Decimal)
        else:
            converters.append(None)

    def decode(values: list[Any]) -> dict[str, Any]:
        if len(values) != len(columns):
            raise ValueError(f"{len(values)} values for {len(columns)} columns")
        return {
            name: value if convert is None or value is None else convert(value)
            for name, convert, value in zip(columns, converters, values, strict=True)
        }

    return decode


def _to_datetime(zoned: bool) -> Callable[[str], datetime]:
    def convert(value: str) -> datetime:
        parsed = datetime.fromisoformat(value)
        if zoned:  # stored in UTC everywhere; SQLite keeps the digits, PostgreSQL the instant
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        return parsed

    return convert


def table_rows(connection: Connection, table: Table) -> Iterator[list[Any]]:
    """Every row of a table in primary-key order, encoded as the export writes it."""
    encode = _encoder(table)
    query = select(*table.columns).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(query)
    for row in result:
        yield encode(tuple(row))


def row_counts(connection: Connection, tables: list[Table] | None = None) -> dict[str, int]:
    """How many rows each data table holds (each known one, unless `tables` are given), in
    dependency order."""
    found = tables if tables is not None else data_tables(connection, strict=False)
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in found
    }


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one consistent state of the whole database, so a
    document written meanwhile is exported whole or not at all."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN")  # pysqlite would not begin before a SELECT
            try:
                yield connection
            finally:
                connection.rollback()
        return
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


# -- export -------------------------------------------------------------------------------------


def export_store(
    engine: Engine,
    path: Path,
    *,
    hpo_version: str | None = None,
    progress: Progress | None = None,
    on_header: Callable[[ExportHeader], None] | None = None,
) -> ExportHeader:
    """Write every data table of the database to `path` (see the module docstring). The file
    appears only once complete: it is written beside `path` and renamed at the end."""
    path = Path(path)
    try:
        with snapshot(engine) as connection:
            revision = current_revision(connection)
            if revision is None:
                raise TransferError(
                    f"database {safe_url(engine.url)} holds no dxatlas store (no schema revision)"
                )
            tables = data_tables(connection)
            header = ExportHeader(
                schema_revision=revision,
                tables=row_counts(connection, tables),
                hpo_version=hpo_version,
                source_dialect=engine.dialect.name,
            )
            if on_header is not None:
                on_header(header)
            with _atomic_gzip(path) as out:
                _write_line(out, header.to_json())
                for table in tables:
                    _write_tables_rows(out, connection, table, header.tables[table.name], progress)
                _write_line(out, {"end": True, "rows": header.total_rows})
    except SQLAlchemyError as error:
        raise TransferError(
            f"cannot export database {safe_url(engine.url)}: {error_reason(error)}"
        ) from None
    return header


def _write_tables_rows(
    out: IO[str], connection: Connection, table: Table, expected: int, progress: Progress | None
) -> None:
    _write_line(
        out, {"table": table.name, "columns": [c.name for c in table.columns], "rows": expected}
    )
    written = 0
    for row in table_rows(connection, table):
        _write_line(out, row)
        written += 1
        if progress is not None and written % BATCH_ROWS == 0:
            progress(table.name, BATCH_ROWS)
    if written != expected:  # cannot happen in a snapshot; a file must never lie about it
        raise TransferError(f"table {table.name} changed during export ({expected} -> {written})")
    if progress is not None and written % BATCH_ROWS:
        progress(table.name, written % BATCH_ROWS)


def _write_line(out: IO[str], value: Any) -> None:
    out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


@contextmanager
def _atomic_gzip(path: Path) -> Iterator[IO[str]]:
    """A gzip text file that replaces `path` only when the block ends without an error."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as error:
        raise TransferError(f"cannot write {path}: {error.strerror or error}") from None
    os.close(handle)
    try:
        with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=6) as out:
            yield out
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise TransferError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- import -------------------------------------------------------------------------------------


@contextmanager
def _lines(path: Path) -> Iterator[Iterator[tuple[int, Any]]]:
    """(line number, parsed JSON) of an export, gzip-compressed or not."""
    with ExitStack() as stack:
        try:
            with path.open("rb") as probe:
                compressed = probe.read(2) == b"\x1f\x8b"
            opened: IO[str]
            if compressed:
                opened = stack.enter_context(gzip.open(path, "rt", encoding="utf-8"))
            else:
                opened = stack.enter_context(path.open(encoding="utf-8"))
        except OSError as error:
            raise TransferError(f"cannot read {path}: {error.strerror or error}") from None

        def parsed() -> Iterator[tuple[int, Any]]:
            number = 0
            try:
                for number, line in enumerate(opened, start=1):
                    if line.strip():
                        yield number, json.loads(line)
            except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise TransferError(
                    f"{path}: line {number + 1} is damaged ({str(error).splitlines()[0]})"
                ) from None

        yield parsed()


def read_header(path: Path) -> ExportHeader:
    """The header of an export file; raises `TransferError` when it is not one."""
    with _lines(Path(path)) as lines:
        first = next(lines, None)
    return _header_of(Path(path), first[1] if first else None)


def _header_of(path: Path, value: Any) -> ExportHeader:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise TransferError(f"{path} is not a dxatlas export (its first line has no format)")
    if value.get("format_version") != FORMAT_VERSION:
        raise TransferError(
            f"{path} is export format {value.get('format_version')!r}; this dxatlas reads "
            f"format {FORMAT_VERSION}"
        )
    tables = value.get("tables")
    revision = value.get("schema_revision")
    if not isinstance(tables, dict) or not isinstance(revision, str):
        raise TransferError(f"{path}: the header lacks its schema revision or table counts")
    return ExportHeader(
        schema_revision=revision,
        tables={str(name): int(count) for name, count in tables.items()},
        dxatlas_version=str(value.get("dxatlas_version", "")),
        hpo_version=value.get("hpo_version"),
        source_dialect=str(value.get("source_dialect", "")),
        created_at=str(value.get("created_at", "")),
    )


def import_store(
    engine: Engine,
    path: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    on_header: Callable[[ExportHeader], None] | None = None,
) -> ExportHeader:
    """Load an export into the database: all of it, in one transaction, or nothing.

    The database must be empty (no rows; no schema yet is fine) unless `replace`, which deletes
    every row first (in the same transaction). Ids are kept; PostgreSQL's sequences continue after
    them; the full-text index is rebuilt; the schema is then migrated to the latest revision.
    """
    path = Path(path)
    url = safe_url(engine.url)
    header = read_header(path)
    if on_header is not None:
        on_header(header)
    _prepare_schema(engine, header, path)
    try:
        with engine.begin() as connection, _lines(path) as lines:
            if connection.dialect.name == "sqlite":  # pysqlite would not begin before DDL
                connection.exec_driver_sql("BEGIN")
            next(lines)  # the header, read above
            tables = {table.name: table for table in data_tables(connection)}
            with fulltext.bulk_load(connection):
                _make_room(connection, list(tables.values()), url, replace)
                _load(connection, lines, tables, header, path, progress)
            _reset_sequences(connection, list(tables.values()))
    except SQLAlchemyError as error:
        raise TransferError(
            f"cannot import {path} into database {url}: {error_reason(error)} (nothing was imported)"
        ) from None
    migrate(engine)
    return header


def _prepare_schema(engine: Engine, header: ExportHeader, path: Path) -> None:
    """Bring an empty database to the export's schema revision; refuse one at another revision."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from dxatlas.store.database import alembic_config

    url = safe_url(engine.url)
    try:
        ScriptDirectory.from_config(alembic_config(engine)).get_revision(header.schema_revision)
    except CommandError:
        raise TransferError(
            f"{path} is at schema revision {header.schema_revision}, which this dxatlas "
            f"({__version__}, latest {head_revision(engine)}) does not know: upgrade dxatlas"
        ) from None
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except SQLAlchemyError as error:
        raise TransferError(f"cannot open database {url}: {error_reason(error)}") from None
    if revision is None:
        migrate(engine, header.schema_revision)
    elif revision != header.schema_revision:
        raise TransferError(
            f"database {url} is at schema revision {revision} but {path} was exported at "
            f"{header.schema_revision}: import it into a new, empty database (it is migrated "
            "after the import)"
        )


def _make_room(connection: Connection, tables: list[Table], url: str, replace: bool) -> None:
    """Refuse a database holding rows, or (`replace`) delete them all, children first."""
    counts = {name: n for name, n in row_counts(connection, tables).items() if n}
    if not counts:
        return
    if not replace:
        held = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        raise TransferError(
            f"database {url} is not empty ({held}): import into an empty database, or pass "
            "--replace to delete everything in it first"
        )
    for table in reversed(tables):
        connection.execute(table.delete())


def _load(
    connection: Connection,
    lines: Iterator[tuple[int, Any]],
    tables: dict[str, Table],
    header: ExportHeader,
    path: Path,
    progress: Progress | None,
) -> None:
    """Insert every table's rows from the file, in batches."""
    seen: set[str] = set()
    for number, value in lines:
        if isinstance(value, dict) and value.get("end") is True:
            break
        if not (isinstance(value, dict) and isinstance(value.get("table"), str)):
            raise TransferError(f"{path}: line {number} should start a table")
        name = value["table"]
        table = tables.get(name)
        if table is None:
            raise TransferError(f"{path}: line {number}: the database has no table {name!r}")
        columns = [str(column) for column in value.get("columns", [])]
        missing = {c.name for c in table.columns} ^ set(columns)
        if missing:
            raise TransferError(
                f"{path}: table {name} columns differ from the database's: {', '.join(sorted(missing))}"
            )
        expected = int(value.get("rows", -1))
        if expected != header.tables.get(name):
            raise TransferError(
                f"{path}: line {number}: table {name} has {expected} rows, the header says "
                f"{header.tables.get(name)}"
            )
        _insert_rows(connection, table, columns, lines, expected, path, progress)
        seen.add(name)
    else:
        raise TransferError(f"{path} ends early: its last line is missing (a truncated file?)")
    absent = {name for name, n in header.tables.items() if n} - seen
    if absent:
        raise TransferError(f"{path} lacks the rows of {', '.join(sorted(absent))}")


def _insert_rows(
    connection: Connection,
    table: Table,
    columns: list[str],
    lines: Iterator[tuple[int, Any]],
    expected: int,
    path: Path,
    progress: Progress | None,
) -> None:
    decode = _decoder(table, columns)
    batch: list[dict[str, Any]] = []
    for done in range(expected):
        item = next(lines, None)
        if item is None:
            raise TransferError(f"{path} ends inside table {table.name} (row {done + 1})")
        number, values = item
        try:
            batch.append(decode(values))
        except (TypeError, ValueError) as error:
            raise TransferError(f"{path}: line {number} ({table.name}): {error}") from None
        if len(batch) == BATCH_ROWS:
            connection.execute(table.insert(), batch)
            if progress is not None:
                progress(table.name, len(batch))
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
        if progress is not None:
            progress(table.name, len(batch))


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: each serial id continues after the largest imported id (SQLite needs nothing:
    its next rowid is always the largest plus one)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0].name
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table.name}"'
            ),
            {"table": table.name, "column": column},
        )
