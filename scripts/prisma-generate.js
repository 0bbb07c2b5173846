#!/usr/bin/env node
// Writes the per-provider Prisma schemas from prisma/models.prisma and generates a client for each.
// `prisma generate` does not need Prisma's native schema engine, but the CLI insists on finding it
// (and would download it, which these machines cannot): pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file satisfies the check. Migrations run through @prisma/schema-engine-wasm instead.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const providers = ['sqlite', 'postgresql'];

export function composeSchema(provider, models) {
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.js: edit that file, not this one.

generator client {
  provider            = "prisma-client"
  output              = "../../libs/db/src/generated/${provider}"
  moduleFormat        = "esm"
  importFileExtension = "js"
  runtime             = "nodejs"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}

export function writeSchemas() {
  const models = readFileSync(path.join(root, 'prisma', 'models.prisma'), 'utf8');
  const written = [];
  for (const provider of providers) {
    const dir = path.join(root, 'prisma', provider);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'schema.prisma');
    writeFileSync(file, composeSchema(provider, models));
    written.push(file);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const schemas = writeSchemas();
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  for (const schema of schemas) {
    execFileSync(process.execPath, [cli, 'generate', '--schema', schema], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
  }
  // build.js compares this with the models to know when the clients are stale
  const models = readFileSync(path.join(root, 'prisma', 'models.prisma'));
  writeFileSync(path.join(root, 'libs', 'db', 'src', 'generated', 'models.sha256'), createHash('sha256').update(models).digest('hex') + '\n');
}
