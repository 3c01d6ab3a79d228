#!/usr/bin/env bash
# Starts the whole system: installs what it needs, migrates, starts the Exact simulator when no Exact credentials
# are configured, connects a demo division through the real OAuth flow, and runs the api and the worker as
# production does: built JavaScript (`pnpm build`, a second or so), run by node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_packages
node_modules/.bin/tsx scripts/build.ts >/dev/null
exec node_modules/.bin/tsx scripts/start.ts
