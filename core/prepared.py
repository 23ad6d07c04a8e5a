"""A hot query's SQL compiled once per process, then run with new values: `PreparedQuery`.

Turning a QuerySet into SQL is pure Python, and for a rich `values()` query (a claim page's
review with a dozen joined columns and its lists nested as JSON arrays) it costs several times
what PostgreSQL takes to plan and run it. A page that runs the same query shape on every request
pays that on every request. `PreparedQuery` builds the QuerySet once per database connection
with marker values for its arguments, keeps the compiler's SQL and parameters, notes where each
marker landed among the parameters, and afterwards only swaps in the request's values, executes
and converts the rows as `values()` would (the compiler's own converters).

It is safe only for a builder whose SQL depends on nothing but its arguments' values, passed
through as parameters: `PreparedQuery` checks that when it compiles, by compiling twice with
different markers and refusing a builder whose SQL or other parameters differ between the two
(a hidden `timezone.now()`, say) or whose markers do not each reach the parameters exactly as
given (a value Django rewrites on the way, as SQLite's backend does with datetimes).
PostgreSQL passes strings, numbers, aware datetimes and lists (arrays) through unchanged; on
another database `rows()` runs the QuerySet as usual.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

Row = dict[str, Any]


def _markers(samples: dict[str, Any], salt: int) -> dict[str, Any]:
    """Values of each argument's type that no real query uses, different for each `salt`."""
    made: dict[str, Any] = {}
    for n, (name, sample) in enumerate(samples.items()):
        if isinstance(sample, datetime.datetime):
            made[name] = datetime.datetime(1901, 1, 1 + n, 0, 0, 0, 1 + salt, tzinfo=datetime.UTC)
        elif isinstance(sample, str):
            made[name] = f"\x00prepared-{salt}-{name}\x00"
        elif isinstance(sample, int) and not isinstance(sample, bool):
            made[name] = -(10**12) - 1000 * salt - n
        elif isinstance(sample, list):  # of ints (an array parameter)
            made[name] = [-(10**12) - 1000 * salt - n]
        else:
            raise TypeError(f"PreparedQuery: no marker for a {type(sample).__name__} ({name})")
    return made


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    names: tuple[str, ...]  # the values() keys, in the row's order
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, tuple[int, ...]]  # argument name -> its positions among the params


class PreparedQuery:
    """`build(**arguments)` (a `values()` QuerySet) compiled once per connection.

    `samples` gives each argument's type by an example value (a str, an int, an aware
    datetime, or a list of ints for an array parameter). `rows(**arguments)` returns what
    `list(build(**arguments))` would.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Row]], **samples: Any) -> None:
        self.build = build
        self.samples = samples
        _markers(samples, 0)  # fail at import time for an argument type without markers
        self._local = threading.local()

    def _compile(self, alias: str, salt: int) -> tuple[_Compiled, dict[str, Any]]:
        markers = _markers(self.samples, salt)
        queryset = self.build(**markers)
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        # As ValuesIterable names a row's values.
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        slots: dict[str, tuple[int, ...]] = {}
        for name, marker in markers.items():
            found = tuple(
                i for i, p in enumerate(params) if type(p) is type(marker) and p == marker
            )
            if not found:
                raise ValueError(
                    f"PreparedQuery: the argument {name!r} does not reach the SQL's parameters "
                    "as given; this query cannot be prepared"
                )
            slots[name] = found
        return _Compiled(compiler, names, sql, tuple(params), slots), markers

    def _compiled(self, alias: str) -> _Compiled:
        cache: dict[str, _Compiled] = self._local.__dict__.setdefault("compiled", {})
        if alias not in cache:
            first, _ = self._compile(alias, 1)
            second, _ = self._compile(alias, 2)
            taken = {i for positions in first.slots.values() for i in positions}
            others_first = [p for i, p in enumerate(first.params) if i not in taken]
            others_second = [p for i, p in enumerate(second.params) if i not in taken]
            if (
                first.sql != second.sql
                or first.slots != second.slots
                or others_first != others_second
            ):
                raise ValueError(
                    "PreparedQuery: the query's SQL depends on more than its arguments; it "
                    "cannot be prepared"
                )
            cache[alias] = first
        return cache[alias]

    def rows(self, using: str = "default", **arguments: Any) -> list[Row]:
        if set(arguments) != set(self.samples):
            raise TypeError(f"PreparedQuery.rows() takes {sorted(self.samples)}")
        connection = connections[using]
        if connection.vendor != "postgresql":
            return list(self.build(**arguments).using(using))
        compiled = self._compiled(using)
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            for i in positions:
                params[i] = arguments[name]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        names = compiled.names
        return [
            dict(zip(names, row, strict=True)) for row in compiled.compiler.results_iter([fetched])
        ]
