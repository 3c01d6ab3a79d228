#!/usr/bin/env bash
# Runs every check and test: typecheck, lint, import cycles, unused code (everything, then production code alone,
# where tests do not count as users), the OpenAPI documents' lint, the build production runs, then unit,
# integration and end-to-end tests against real Postgres and Redis.
# Uses TEST_DATABASE_URL / TEST_REDIS_URL when set, else the local services when they answer, else testcontainers
# (needs Docker).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_packages

if [ -z "${TEST_DATABASE_URL:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
fi
if [ -z "${TEST_REDIS_URL:-}" ] && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379"
fi

step() { printf '\n== %s\n' "$1"; }
step "typecheck";              pnpm --silent typecheck
step "lint and format";        pnpm --silent lint
step "import cycles";          pnpm --silent cycles
step "unused code";            pnpm --silent knip
step "unused production code"; pnpm --silent knip:prod
step "OpenAPI lint";           pnpm --silent openapi:lint
step "build";                  pnpm --silent build
step "tests";                  pnpm exec vitest run
