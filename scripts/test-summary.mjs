// Adds up the test totals of every suite that `npm test` ran, from the JSON reports each writes
// (vitest: <workspace>/reports/vitest.json and, for stress suites, reports/stress.json;
// Playwright: e2e/reports/playwright.json), and prints
// the one closing line CI reads: "N passed, N failed". A workspace whose report is missing, or a
// failed run with no failed test (format, typecheck, lint, build), counts as a failure too.
// Usage: node scripts/test-summary.mjs <exit status of npm test>
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runStatus = Number(process.argv[2] ?? '0');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const workspaces = rootPackage.workspaces.flatMap((pattern) => {
  if (!pattern.endsWith('/*')) return [pattern];
  const dir = pattern.slice(0, -2);
  return readdir(join(root, dir)).map((name) => `${dir}/${name}`);
});

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

for (const workspace of workspaces) {
  const manifestPath = join(root, workspace, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const scripts = JSON.parse(readFileSync(manifestPath, 'utf8')).scripts ?? {};
  if (scripts.test)
    tally(workspace, 'vitest', join(root, workspace, 'reports', 'vitest.json'), readVitest);
  if (scripts.stress)
    tally(
      workspace,
      'vitest (stress)',
      join(root, workspace, 'reports', 'stress.json'),
      readVitest,
    );
  if (scripts.e2e)
    tally(
      workspace,
      'playwright',
      join(root, workspace, 'reports', 'playwright.json'),
      readPlaywright,
    );
}

if (runStatus !== 0 && failed === 0) {
  failed += 1;
  lines.push(
    `npm test exited ${runStatus} with every test passing: a format, typecheck, lint or build step failed (see above)`,
  );
}

for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

function tally(workspace, runner, path, read) {
  if (!existsSync(path)) {
    failed += 1;
    lines.push(`${workspace}: no ${runner} report (the suite did not run or crashed)`);
    return;
  }
  const result = read(JSON.parse(readFileSync(path, 'utf8')));
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped;
  lines.push(
    `${workspace} (${runner}): ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`,
  );
}

function readVitest(report) {
  // A file that fails to load has no test results but still fails the suite.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function readPlaywright(report) {
  const stats = report.stats;
  return {
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected + (report.errors?.length ?? 0),
    skipped: stats.skipped,
  };
}

function readdir(dir) {
  return existsSync(dir) ? readdirSync(dir) : [];
}
