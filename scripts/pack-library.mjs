// `npm run pack:library [-- <folder>]`: packs the built @corsmesh/dynamic-cors (libs/dynamic-cors)
// into a tarball that installs into any app with nothing else from this repository. Prints its
// path; the folder defaults to dist/packages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const library = join(root, 'libs', 'dynamic-cors');
const destination = resolve(process.argv[2] ?? join(root, 'dist', 'packages'));

if (!existsSync(join(library, 'dist', 'index.js'))) {
  process.stderr.write('pack-library: libs/dynamic-cors/dist is missing; run npm run build:library first\n');
  process.exit(1);
}
mkdirSync(destination, { recursive: true });
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: library, encoding: 'utf8' }));
process.stdout.write(`${join(destination, packed.filename)}\n`);
