#!/usr/bin/env bash
# `npm test`: the unit and integration tests, then the reliability suite — always both, even when the first
# fails, so one run tells everything. Prints one line per suite and a closing total; exits non-zero if
# either suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

run_suite() { # name, then vitest arguments
  local name="$1"
  shift
  local started=$SECONDS
  npx vitest run "$@" --reporter=default --reporter=json --outputFile.json="$results/$name.json"
  local code=$?
  echo "$code $((SECONDS - started))" >"$results/$name.status"
}

run_suite tests
run_suite reliability --config vitest.reliability.config.ts

node - "$results" <<'NODE'
const { existsSync, readFileSync } = require('node:fs');
const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0, ok = true;
const lines = [];
for (const [name, label] of [['tests', 'unit + integration'], ['reliability', 'reliability']]) {
  const [code, seconds] = readFileSync(`${dir}/${name}.status`, 'utf8').trim().split(' ').map(Number);
  const file = `${dir}/${name}.json`;
  if (!existsSync(file)) {
    ok = false;
    lines.push(`${label.padEnd(20)} FAILED (no results: vitest exited ${code} before reporting) in ${seconds} s`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const suiteOk = code === 0 && r.numFailedTests === 0 && r.numTotalTests > 0;
  ok &&= suiteOk;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  lines.push(
    `${label.padEnd(20)} ${suiteOk ? 'ok    ' : 'FAILED'} ${r.numPassedTests} passed, ${r.numFailedTests} failed of ${r.numTotalTests} in ${seconds} s` +
      (suiteOk || r.numFailedTests > 0 ? '' : ` (vitest exited ${code})`),
  );
}
console.log(`\n== npm test ==\n${lines.join('\n')}`);
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
NODE
