// `prisma generate` without network access. Every Prisma CLI command first makes sure its Rust
// schema engine is present and downloads it otherwise, which fails offline. Generating the
// client never runs that engine, and the CLI skips the download when PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file, so any existing file will do (Node's own binary here).
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
