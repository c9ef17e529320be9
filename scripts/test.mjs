#!/usr/bin/env node
// `pnpm test`: runs jest (ESM mode) and ends with one line `N passed, N failed, N skipped`, which
// CI reads (jest's own summary is not in that form). Extra arguments go to jest.
//
// Exit status is non-zero when a test or suite failed, when jest itself failed, or — under CI=true
// or FFGATE_REQUIRE_REAL_SERVICES=1 — when anything was skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The same directory @ffgate/testing's gating helpers record skips in (testResultsDir()).
const resultsDir = process.env.FFGATE_TEST_RESULTS_DIR ?? join(root, '.test-results');
const jsonPath = join(resultsDir, 'jest.json');
const skippedPath = join(resultsDir, 'skipped.jsonl');

mkdirSync(resultsDir, { recursive: true });
// Both files describe one run: stale ones would report another run's results.
rmSync(skippedPath, { force: true });
rmSync(jsonPath, { force: true });

// Telemetry stays off in tests unless a test turns it on for itself.
const env = { ...process.env, OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true', FFGATE_TEST_RESULTS_DIR: resultsDir };

const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--json',
    `--outputFile=${jsonPath}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
);

const strict = process.env.CI === 'true' || process.env.FFGATE_REQUIRE_REAL_SERVICES === '1';
const results = readResults();
const skippedSuites = readSkippedSuites();

if (!results) {
  const why = jest.error ? jest.error.message : `exit code ${jest.status}${jest.signal ? `, signal ${jest.signal}` : ''}`;
  console.log(`\njest produced no results (${why}).`);
  // Count the crashed run as one failure so the closing line can never read as success.
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const failedTests = [];
const crashedSuites = [];
const skippedTests = [];
for (const suite of results.testResults ?? []) {
  const file = relative(root, suite.name);
  const failedAssertions = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
  for (const assertion of suite.assertionResults ?? []) {
    if (['pending', 'skipped', 'todo', 'disabled'].includes(assertion.status)) {
      skippedTests.push(`${file} › ${assertion.fullName}${assertion.status === 'todo' ? ' (todo)' : ''}`);
    }
  }
  for (const assertion of failedAssertions) {
    failedTests.push({ file, title: assertion.fullName, messages: assertion.failureMessages ?? [] });
  }
  // A suite that failed without any failed test crashed before or outside its tests (import
  // error, failing beforeAll, syntax error): count it as one failure.
  if (suite.status === 'failed' && failedAssertions.length === 0) {
    crashedSuites.push({ file, message: suite.testExecError?.message ?? suite.message ?? 'suite failed' });
  }
}

if (failedTests.length + crashedSuites.length > 0) {
  console.log('\nFailures:');
  for (const test of failedTests) {
    console.log(`  ✗ ${test.file} › ${test.title}`);
    for (const message of test.messages) console.log(indent(firstLines(stripAnsi(message), 12)));
  }
  for (const suite of crashedSuites) {
    console.log(`  ✗ ${suite.file} (suite failed to run)`);
    console.log(indent(firstLines(stripAnsi(suite.message), 12)));
  }
}

if (skippedSuites.length > 0) {
  console.log('\nSkipped suites:');
  for (const { suite, reason } of skippedSuites) console.log(`  - ${suite}: ${reason}`);
}

if (skippedTests.length > 0) {
  const shown = 20;
  console.log('\nSkipped tests:');
  for (const title of skippedTests.slice(0, shown)) console.log(`  - ${title}`);
  if (skippedTests.length > shown) console.log(`  … and ${skippedTests.length - shown} more`);
}

const passed = results.numPassedTests ?? 0;
const failed = (results.numFailedTests ?? 0) + crashedSuites.length;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);

const problems = [];
if (failed > 0) problems.push(`${failed} failed`);
if (jest.status !== 0 && failed === 0) problems.push(`jest exited with ${jest.status ?? jest.signal}`);
if (strict && skipped > 0) problems.push(`${skipped} skipped, and CI=true / FFGATE_REQUIRE_REAL_SERVICES=1 requires every test to run`);
if (problems.length > 0) console.log(`\nTest run failed: ${problems.join('; ')}.`);

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(problems.length > 0 ? 1 : 0);

function readResults() {
  if (!existsSync(jsonPath)) return undefined;
  try {
    return JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Lines `{ suite, reason }` written by @ffgate/testing's gating helpers; duplicates collapsed. */
function readSkippedSuites() {
  if (!existsSync(skippedPath)) return [];
  const seen = new Map();
  for (const line of readFileSync(skippedPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line);
      const suite = String(entry.suite ?? entry.name ?? 'unknown suite');
      const reason = String(entry.reason ?? 'no reason given');
      seen.set(`${suite}\u0000${reason}`, { suite, reason });
    } catch {
      seen.set(line, { suite: line, reason: 'unreadable skip record' });
    }
  }
  return [...seen.values()];
}

function firstLines(text, count) {
  // jest's own frames say nothing about the failure: keep the message and the test's frames.
  const lines = String(text)
    .split('\n')
    .filter((line) => !/^\s*at .*(node_modules|node:internal|<anonymous>)/.test(line));
  return lines.length > count ? [...lines.slice(0, count), '      …'].join('\n') : lines.join('\n');
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/\u001b\[[0-9;]*m/g, '');
}
