import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** @param {string} path relative to this folder */
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The admin dashboard: a Preact page built into `../public/`, which the admin app serves at `/`.
 * JSX goes through Vite's own transform (Oxc) with Preact's automatic runtime, so no framework
 * plugin is needed. `npm run dev:dashboard` serves it with hot reload and sends `/api` to an
 * admin app on ADMIN_PORT (default 3001).
 *
 * Plain JavaScript: the page's tsconfig is for browser code, the server's excludes `web/`.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../public'),
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle; no inline scripts or styles, so the page runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': `http://127.0.0.1:${process.env.ADMIN_PORT ?? '3001'}` },
  },
});
