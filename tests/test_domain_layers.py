"""The domains' shape: the rules every domain of `app/` follows (docs/ARCHITECTURE.md, "One shape").

Each rule is checked on the whole tree by reading its source. Where the tree does not keep a
rule yet, the places that break it are listed here by name, as debt: a new one fails the test,
and so does a listed one that was fixed (take it off the list), so the lists only shrink.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Lower first: a domain imports only domains before it in this order.
LAYERS = (
    "core",
    "inbox",
    "activity",
    "properties",
    "accounts",
    "leads",
    "matching",
    "threads",
    "messaging",
    "plans",
    "teams",
    "conversations",
    "viewings",
    "crm_sync",
    "capture",
    "webhooks",
    "dashboard",
    "digest",
    "demo",
)

# Debt: (importer, imported) pairs against the order above.
UPWARD_IMPORTS = {
    ("conversations", "viewings"),
}

# Debt: modules outside a repository that build SQL statements.
SQL_OUTSIDE_REPOSITORIES: set[str] = set()
# Where building SQL is the module's job (the engine, tenant-scoped reads).
SQL_HOMES = {"core/db.py", "core/tenancy.py"}

# Debt: modules that commit but are neither a flow, a job nor the unit of work.
COMMITS_OUTSIDE_FLOWS = {
    "conversations/agent.py",
    "conversations/campaigns.py",
    "conversations/inbound.py",
}
COMMIT_HOMES = {"core/uow.py"}
_SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "union", "union_all"}


def _modules() -> Iterator[tuple[str, str, ast.Module]]:
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if len(relative.parts) > 1:
            yield relative.parts[0], relative.as_posix(), ast.parse(path.read_text())


def _imported_domains(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        names = (
            [node.module]
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        for name in names:
            parts = name.split(".")
            if parts[0] == "app" and len(parts) > 1 and parts[1] in LAYERS:
                yield parts[1]


def test_every_domain_has_a_place_in_the_layers() -> None:
    domains = {p.name for p in APP.iterdir() if (p / "__init__.py").exists()}
    assert domains == set(LAYERS)


def test_domains_import_only_the_layers_below_them() -> None:
    rank = {domain: i for i, domain in enumerate(LAYERS)}
    upward = {
        (domain, imported)
        for domain, _, tree in _modules()
        for imported in _imported_domains(tree)
        if rank[imported] > rank[domain]
    }
    assert upward - UPWARD_IMPORTS == set(), "a domain imports one above it (LAYERS)"
    assert UPWARD_IMPORTS - upward == set(), "fixed: take these off UPWARD_IMPORTS"


def test_sql_is_built_in_repositories() -> None:
    building = set()
    for _, name, tree in _modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "sqlalchemy"
                and any(alias.name in _SQL_BUILDERS for alias in node.names)
            ):
                building.add(name)
    building = {n for n in building if not n.endswith("repository.py")} - SQL_HOMES
    assert building - SQL_OUTSIDE_REPOSITORIES == set(), "SQL outside a repository"
    assert SQL_OUTSIDE_REPOSITORIES - building == set(), "fixed: take these off the list"


def test_only_flows_jobs_and_the_transport_commit() -> None:
    committing = set()
    for _, name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called = node.func
                attribute = called.attr if isinstance(called, ast.Attribute) else None
                if attribute == "commit" or (
                    isinstance(called, ast.Name) and called.id == "commit"
                ):
                    committing.add(name)
    outside = {
        n for n in committing if not n.endswith(("flows.py", "tasks.py")) and n not in COMMIT_HOMES
    }
    assert outside - COMMITS_OUTSIDE_FLOWS == set(), "a commit outside a flow or a job"
    assert COMMITS_OUTSIDE_FLOWS - outside == set(), "fixed: take these off the list"


def test_no_side_effect_imports_register_jobs() -> None:
    """Jobs are known through app/tasks.py; a domain does not import another's tasks for effect."""
    registering = [
        name
        for _, name, tree in _modules()
        for node in tree.body
        if isinstance(node, ast.Import) and any(a.name.endswith(".tasks") for a in node.names)
    ]
    assert registering == []
