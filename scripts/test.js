#!/usr/bin/env node
// `npm test`: the whole suite (unit, data layer on SQLite and PostgreSQL, end-to-end), then one
// closing line `N passed, N failed` counted from Jest's own results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The end-to-end tests run the built hub and CLI, so build first (incremental when nothing changed).
const build = spawnSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'carrel-jest-'));
const out = path.join(tmp, 'results.json');
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${out}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CARREL_LOG_LEVEL: process.env.CARREL_LOG_LEVEL ?? 'silent' } },
);
let passed = 0;
let failed = 0;
let suitesFailed = 0;
const hadResults = existsSync(out);
if (hadResults) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  // a suite that fails to load has no failed tests of its own but must still count
  suitesFailed = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
}
rmSync(tmp, { recursive: true, force: true });
failed += suitesFailed;
if (!hadResults && jest.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(jest.status !== 0 || failed > 0 ? 1 : 0);
