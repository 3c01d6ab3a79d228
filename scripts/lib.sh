# Shared by the start and test scripts: make sure pnpm and the workspace's packages are there.
ensure_pnpm() {
  local want="12.4.2"
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
    echo "installing pnpm $want" >&2
    npm install --global --silent "pnpm@$want" >&2
  fi
}

ensure_packages() {
  ensure_pnpm
  if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.pnpm/lock.yaml ]; then
    pnpm install --frozen-lockfile >&2
  fi
}
