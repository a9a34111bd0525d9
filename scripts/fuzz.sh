#!/usr/bin/env bash
# The fuzz tests (test/fuzz) with a large budget (`npm run fuzz`): FUZZ_SECONDS per property
# (default 30) unless FUZZ_RUNS (runs per property) is set. FUZZ_SEED and FUZZ_PATH replay a
# failure fast-check printed. `npm run fuzz -- test/fuzz/pesel.test.ts` runs one file.
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FUZZ_RUNS:-}" ]; then export FUZZ_SECONDS="${FUZZ_SECONDS:-30}"; fi
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find test/fuzz -name '*.test.ts' | sort)
fi
node --import tsx --test --test-concurrency=1 "${files[@]}"
