"""The API plumbing in core.api is shared by the apps, and sharing it keeps `sources`
independent of `claims` (DESIGN.md section 2: dependencies run one way)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from claims.api.views import ClaimantViewSet, ClaimViewSet, ReviewViewSet
from core.api import EditorialPagination, ModelPermission
from sources.api import SourceViewSet
from tests.helpers import ClaimantFactory, SourceFactory, api

ROOT = Path(settings.BASE_DIR)
PROJECT_PACKAGES = {
    "core",
    "claims",
    "sources",
    "matching",
    "imports",
    "publishing",
    "reader",
    "factcheck",
}


def _imports(path: Path) -> set[str]:
    """The project modules `path` imports, anywhere in the file (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name.split(".")[0] in PROJECT_PACKAGES}


def _module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_sources_never_imports_claims_not_even_through_the_plumbing() -> None:
    seen: dict[str, str] = {}  # module -> the module that imported it
    todo = [f"sources.{p.stem}" for p in (ROOT / "sources").glob("*.py")]
    todo += [f"sources.migrations.{p.stem}" for p in (ROOT / "sources" / "migrations").glob("*.py")]
    for name in todo:
        seen.setdefault(name, "(start)")
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if path is None:
            continue
        for imported in _imports(path):
            if imported not in seen:
                seen[imported] = name
                todo.append(imported)
    assert not [f"{m} (imported by {seen[m]})" for m in seen if m.split(".")[0] == "claims"]


def test_every_editorial_viewset_uses_the_shared_pagination_and_permission() -> None:
    for viewset in (ClaimantViewSet, ClaimViewSet, ReviewViewSet, SourceViewSet):
        assert viewset.pagination_class is EditorialPagination, viewset
        assert viewset.permission_classes == [ModelPermission], viewset


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "factory"),
    [("editorial-source-list", SourceFactory), ("editorial-claimant-list", ClaimantFactory)],
)
def test_editorial_lists_page_alike(url, factory, factchecker) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        factory()
    client = api(factchecker)
    page = client.get(reverse(url), {"page_size": 2}).json()
    assert (len(page["results"]), page["count"]) == (2, 3)
    assert page["next"] is not None
    assert client.get(reverse(url), {"page": 3, "page_size": 2}).status_code == 404
    for wrong in ("1000", "0", "AAA"):  # at most 100 a page, as on the public API
        refused = client.get(reverse(url), {"page_size": wrong})
        assert (refused.status_code, list(refused.json())) == (400, ["page_size"])
    assert EditorialPagination.max_page_size == 100
