// Carrel runs as native ES modules (NestJS 12 ships ESM only), so Jest runs in its ESM mode.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@carrel/([a-z0-9-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // generous: the end-to-end suites start real processes, which a loaded machine can slow down a lot
  testTimeout: 300000,
  maxWorkers: 2,
  // Every suite closes its databases and servers in afterAll; a PostgreSQL pool's idle timer can still
  // keep a worker alive for a few seconds after, which is not worth waiting for.
  forceExit: true,
};
