#!/bin/sh
# Compare every public output of the demo data between a base commit and the working tree:
#
#     scripts/compare_public_output.sh [BASE_REF]      (default: main)
#
# Loads the demo into one SQLite file, copies it, snapshots it with the base code (a temporary
# git worktree) and with this tree after its migrations (scripts/public_snapshot.py: every
# reader page, every public API response, the DataFeed, claims:search, the OpenAPI document),
# then diffs the two folders. No output and exit 0: byte-identical.
set -eu
base_ref=${1:-main}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export SECRET_KEY=compare-only FACTCHECK_SITE_URL=https://factcheck.example.org
unset REDIS_URL
git -C "$root" worktree add --detach "$work/base" "$base_ref" >/dev/null 2>&1
(cd "$work/base" && DEBUG=1 DATABASE_URL="sqlite:///$work/demo.sqlite3" \
    "$python" manage.py migrate -v0 && DEBUG=1 DATABASE_URL="sqlite:///$work/demo.sqlite3" \
    "$python" manage.py load_demo >/dev/null)
cp "$work/demo.sqlite3" "$work/branch.sqlite3"
(cd "$work/base" && DATABASE_URL="sqlite:///$work/demo.sqlite3" \
    "$python" scripts/public_snapshot.py "$work/snap-base" >/dev/null 2>&1)
(cd "$root" && DATABASE_URL="sqlite:///$work/branch.sqlite3" "$python" manage.py migrate -v0 \
    && DATABASE_URL="sqlite:///$work/branch.sqlite3" \
    "$python" scripts/public_snapshot.py "$work/snap-branch" >/dev/null 2>&1)
diff -r "$work/snap-base" "$work/snap-branch"
