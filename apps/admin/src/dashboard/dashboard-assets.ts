import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:dashboard` writes the page, relative to the project root. */
const BUILT_DASHBOARD = join('apps', 'admin', 'src', 'dashboard', 'public');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** One file of the built page, held in memory. */
export interface DashboardAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Strong validator: the content's hash. */
  readonly etag: string;
  /** Vite puts a content hash in the names under `assets/`: they never change. */
  readonly immutable: boolean;
}

/**
 * The built dashboard (a handful of small files), read once at start-up. Serving from memory
 * keeps file-system paths out of request handling entirely: a URL can only ever name a file
 * that was in the build.
 */
export class DashboardAssets {
  private constructor(
    private readonly files: ReadonlyMap<string, DashboardAsset>,
    /** The folder read, or null when the dashboard was not built. */
    readonly dir: string | null,
  ) {}

  static async load(dir: string | null): Promise<DashboardAssets> {
    if (dir === null || !existsSync(join(dir, 'index.html'))) return new DashboardAssets(new Map(), null);
    const files = new Map<string, DashboardAsset>();
    for (const file of await listFiles(dir)) {
      const urlPath = '/' + relative(dir, file).split(sep).join('/');
      const body = await readFile(file);
      files.set(urlPath, {
        body,
        contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: urlPath.startsWith('/assets/'),
      });
    }
    return new DashboardAssets(files, dir);
  }

  get built(): boolean {
    return this.dir !== null;
  }

  /** The file at a URL path such as `/assets/index-abc.js`. */
  file(urlPath: string): DashboardAsset | undefined {
    return this.files.get(urlPath);
  }

  /** The page itself, answered for every client-side route. */
  get index(): DashboardAsset | undefined {
    return this.files.get('/index.html');
  }
}

/**
 * The built dashboard folder, found by walking up from this module, so it resolves the same
 * from the TypeScript sources (tests) and from the compiled `dist/` tree; null when not built.
 */
export function defaultDashboardDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, BUILT_DASHBOARD);
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) return null;
    dir = parent;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}
