#!/usr/bin/env node
// Builds Carrel into dist/: generated Prisma clients first (if missing), then TypeScript, then the
// @carrel/* import aliases rewritten to relative paths so Node runs the output as plain ES modules.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

// Regenerate the clients when they are missing or were made from other models (after a pull, say).
const modelsHash = createHash('sha256').update(readFileSync(path.join(root, 'prisma/models.prisma'))).digest('hex');
const stamp = path.join(root, 'libs/db/src/generated/models.sha256');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== modelsHash) {
  run(['scripts/prisma-generate.js']);
}
run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
run(['node_modules/tsc-alias/dist/bin/index.js', '-p', 'tsconfig.build.json']);
