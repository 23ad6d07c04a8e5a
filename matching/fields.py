"""EmbeddingField: a claim's sentence embedding, as pgvector's `vector(n)` on PostgreSQL and as
float32 bytes on SQLite.

PostgreSQL (production, CI) stores and indexes vectors with the pgvector extension (HNSW, cosine
distance): the nearest claims are one indexed query. SQLite, the development default, has no
vector type, so the same field stores the raw little-endian float32 values in a BLOB and
matching compares them in memory (matching.services, the brute-force fallback). Either way the
Python value is a NumPy float32 array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pgvector.django import VectorField


class EmbeddingField(VectorField):
    def db_type(self, connection: Any) -> str:
        if connection.vendor == "postgresql":
            return super().db_type(connection)
        return "blob"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if connection.vendor == "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        return np.asarray(value, dtype="<f4").tobytes()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bytes | memoryview):
            return np.frombuffer(bytes(value), dtype="<f4")
        return super().from_db_value(value, expression, connection)


def vector_from_bytes(value: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(value), dtype="<f4")
