#!/usr/bin/env node
// `npx carrel …`: the operators' command, run from the built output.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('carrel: not built yet; run `npm run build` in the Carrel checkout\n');
  process.exit(1);
}
await import(pathToFileURL(main).href);
