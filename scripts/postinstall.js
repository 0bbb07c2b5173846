#!/usr/bin/env node
// After `npm ci`: generate the Prisma clients and build, so `npx carrel` and `npm start` work at once.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, ['scripts/prisma-generate.js'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
