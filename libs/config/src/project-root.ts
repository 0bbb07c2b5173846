import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The checkout Carrel runs from (holds prisma/ and config/), found from this file whether built or not. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'carrel') return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the Carrel checkout (package.json named "carrel") above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
