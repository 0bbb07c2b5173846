import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared real-world fixtures live outside the repository (../shared/fixtures by default,
 * CARREL_FIXTURES to point elsewhere). A clone without them still runs every suite on our own
 * small fixtures; the suites that need the shared files say loudly that they did not run.
 */
export const fixturesDir = path.resolve(process.env.CARREL_FIXTURES ?? path.join(process.cwd(), '..', 'shared', 'fixtures'));

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

export function haveFixtures(sub = ''): boolean {
  return existsSync(path.join(fixturesDir, sub));
}

/** describe() over the shared fixtures, or one loud failing-free notice when they are absent. */
export function describeWithFixtures(sub: string, name: string, body: () => void): void {
  if (haveFixtures(sub)) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it(`did NOT run: shared fixtures not found at ${path.join(fixturesDir, sub)}`, () => {
      process.stderr.write(`\n*** ${name}: shared fixtures absent (${path.join(fixturesDir, sub)}); this suite did not run ***\n`);
      expect(haveFixtures(sub)).toBe(false);
    });
  });
}
