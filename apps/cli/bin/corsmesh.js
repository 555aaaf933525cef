#!/usr/bin/env node
// `npx corsmesh`: the built CLI when `npm run build` has made one (as `npm start` and `npm test`
// do), else its TypeScript sources through tsx, so a clone works right after `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../../../dist/apps/cli/src/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
  await import('../src/main.ts');
}
