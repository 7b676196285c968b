#!/usr/bin/env bash
# The server's mutation run split into groups of files, each with the integration tests that cover
# it, its own report and its own incremental file: a group's initial test run is then only its
# test files, and a machine that cannot give the whole run several quiet hours still gets figures
# group by group. No type checker (server-nocheck.config.mjs). GROUPS_ONLY="claims imports" runs
# only the named groups. Sum them with:
#   npx tsx scripts/mutation-summary.ts reports/mutation/server-*.json
set -u
cd "$(dirname "$0")/.."
mkdir -p reports/mutation
run() {
  local name=$1 files=$2 tests=$3
  if [ -n "${GROUPS_ONLY:-}" ] && [[ " $GROUPS_ONLY " != *" $name "* ]]; then return; fi
  echo "== $name: $(date -u +%H:%M:%S)"
  STRYKER_REPORT="reports/mutation/server-$name.json" STRYKER_SERVER_TESTS="$tests" \
    npx stryker run stryker/server-nocheck.config.mjs --mutate "$files" \
    --incrementalFile "stryker/incremental/server-$name.json" --dryRunTimeoutMinutes 30 "${@:4}"
  echo "== $name done: $(date -u +%H:%M:%S)"
}
EXTRA=("$@")
C=src/server/modules/certification
run small "src/server/http/rate-limit.ts,src/server/export/tabular.ts,src/server/modules/sessions/eligibility.ts,$C/report-facts.ts" \
  "src/server/export/*.test.ts,src/server/modules/sessions/eligibility.test.ts,src/server/modules/sessions/registration.test.ts,src/server/modules/transcripts/transcripts.test.ts,$C/*.test.ts,src/server/modules/reports/*.test.ts,src/server/modules/awards/*.test.ts,src/server/modules/auth/auth.test.ts,src/server/http/trust-proxy.test.ts" "${EXTRA[@]}"
run claims "src/server/modules/claims/claims.service.ts" "src/server/modules/claims/*.test.ts" "${EXTRA[@]}"
run imports "src/server/modules/imports/parse.ts" "src/server/modules/imports/*.test.ts" "${EXTRA[@]}"
run credits "src/server/modules/credits/credits.service.ts,$C/ledger.ts,$C/records.ts" \
  "src/server/modules/credits/*.test.ts,$C/*.test.ts" "${EXTRA[@]}"
run awards "src/server/modules/awards/awards.service.ts" "src/server/modules/awards/*.test.ts" "${EXTRA[@]}"
run certification "src/server/jobs/certification.jobs.ts,$C/cycles.ts,$C/evaluation.ts,$C/facts-load.ts,$C/facts.ts,$C/impact.service.ts,$C/pending.ts,$C/progress.ts,$C/queries.ts,$C/reopen.ts" \
  "src/server/jobs/certification.jobs.test.ts,$C/*.test.ts,src/server/modules/awards/*.test.ts,src/server/modules/programs/programs.test.ts,src/server/modules/demo/impact.demo.test.ts" "${EXTRA[@]}"
