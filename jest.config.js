// Jest runs the TypeScript sources as native ES modules (NestJS 12 is ESM-only).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#dynamic-cors$': '<rootDir>/libs/dynamic-cors/src/index.ts',
    '^#dynamic-cors/postgres$': '<rootDir>/libs/dynamic-cors/src/postgres/index.ts',
    '^#database$': '<rootDir>/libs/database/src/index.ts',
    '^#config$': '<rootDir>/libs/config/src/index.ts',
    '^#service-runtime$': '<rootDir>/libs/service-runtime/src/index.ts',
    '^#problem-details$': '<rootDir>/libs/problem-details/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 30000,
};
