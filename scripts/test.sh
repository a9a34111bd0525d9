#!/usr/bin/env bash
# The project's test command (`npm test`): typecheck, lint, formatting (prettier --check), unit
# and integration tests on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), the crash test
# (scripts/crash-test.ts: SIGKILL under load, then every acknowledged filing checked) and a short
# power-loss test (scripts/power-test.ts: only fsynced data survives a cut), then browser tests in
# Chromium. The unit tests include the compiled build (`npm run build`, run by
# `npm install`).
# `npm test -- static`, `npm test -- unit`, `npm test -- crash` or `npm test -- e2e` runs one part.
set -euo pipefail
cd "$(dirname "$0")/.."
part="${1:-all}"

run_node_tests() {
  local dir="$1"
  mapfile -t files < <(find "$dir" -name '*.test.ts' -o -name '*.test.tsx' | sort)
  if [ "${#files[@]}" -eq 0 ]; then echo "no tests in $dir"; return 1; fi
  node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=300000 "${files[@]}"
}

if [ "$part" = all ] || [ "$part" = static ]; then
  echo "== typecheck"; npx tsc --noEmit
  echo "== lint"; npx eslint .
  echo "== formatting"; npx prettier --check .
fi
if [ "$part" = all ] || [ "$part" = unit ]; then
  echo "== unit and integration tests"; run_node_tests test
fi
if [ "$part" = all ] || [ "$part" = crash ]; then
  # A shorter run than `npm run test:crash` (5 kills, 6 clients): fewer filings to check after.
  echo "== crash test"; CRASH_KILLS="${CRASH_KILLS:-3}" CRASH_CLIENTS="${CRASH_CLIENTS:-4}" npx tsx scripts/crash-test.ts
  echo "== power-loss test"; npx tsx scripts/power-test.ts --short
fi
if [ "$part" = all ] || [ "$part" = e2e ]; then
  echo "== browser tests"; run_node_tests e2e
fi
