#!/usr/bin/env bash
# The domain's mutation run split into groups of files, each with its own report and incremental
# file, so a machine that cannot give one run three quiet hours still gets figures group by group.
# The initial test run gets 30 minutes (the default 5 ran out at load 15-20).
# GROUPS_ONLY="lifecycle tree" runs only the named groups.
# Sum them with: npx tsx scripts/mutation-summary.ts reports/mutation/domain-*.json
set -u
cd "$(dirname "$0")/.."
mkdir -p reports/mutation
run() {
  local name=$1 files=$2
  # With GROUPS_ONLY set, only the named groups run (in the order below).
  if [ -n "${GROUPS_ONLY:-}" ] && [[ " $GROUPS_ONLY " != *" $name "* ]]; then return; fi
  echo "== $name: $(date -u +%H:%M:%S)"
  STRYKER_REPORT="reports/mutation/domain-$name.json" npx stryker run stryker/domain.config.mjs \
    --mutate "$files" --incrementalFile "stryker/incremental/domain-$name.json" --dryRunTimeoutMinutes 30 "${@:3}"
  echo "== $name done: $(date -u +%H:%M:%S)"
}
EXTRA=("$@")
X='!src/domain/**/*.test.ts,!src/domain/**/testkit.ts,!src/domain/**/*.fixture.ts'
run small "src/domain/time/*.ts,src/domain/authz/*.ts,src/domain/claims/*.ts,src/domain/errors.ts,src/domain/text.ts,src/domain/registration/*.ts,src/domain/attendance/*.ts,src/domain/ceremonies/*.ts,src/domain/requirements/index.ts,src/domain/requirements/types.ts,src/domain/requirements/versions.ts,src/domain/requirements/explain.ts,src/domain/requirements/facts.ts,src/domain/requirements/records.ts,src/domain/requirements/compile.ts,src/domain/requirements/describe.ts,src/domain/requirements/dates.ts,src/domain/requirements/serves.ts,src/domain/requirements/format.ts,src/domain/lifecycle/index.ts,$X" "${EXTRA[@]}"
run scheduling "src/domain/scheduling/*.ts,src/domain/lifecycle/schedule.ts,$X" "${EXTRA[@]}"
run search "src/domain/requirements/allocate.ts,src/domain/requirements/cover.ts" "${EXTRA[@]}"
run lifecycle "src/domain/lifecycle/lifecycle.ts" "${EXTRA[@]}"
run evaluate "src/domain/requirements/evaluate.ts,src/domain/requirements/schema.ts" "${EXTRA[@]}"
run tree "src/domain/requirements/tree.ts" "${EXTRA[@]}"
