/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its DOM types.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Page } from 'playwright-core';
import { createAdminApp } from '../../../apps/admin/src/admin.app.js';
import { loadAdminConfig } from '../../../apps/admin/src/config/admin.config.js';
import { loadGatewayConfig } from '../../../apps/gateway/src/config/gateway.config.js';
import { createGatewayApp } from '../../../apps/gateway/src/gateway.app.js';
import { testLogger } from '../../support/silent-logger.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/** The root token the browser tests sign in with. */
export const ADMIN_TOKEN = 'browser-test-root-token-0123456789';

/** The admin app (API and dashboard), and optionally a gateway, listening on loopback, on a database of their own. */
export interface DashboardStack {
  readonly db: TestDatabase;
  readonly admin: NestFastifyApplication;
  /** `http://127.0.0.1:<port>`. */
  readonly adminUrl: string;
  readonly gateway?: NestFastifyApplication;
  readonly gatewayPort?: number;
  close(): Promise<void>;
}

export async function startDashboardStack(options: { gateway?: boolean } = {}): Promise<DashboardStack> {
  const db = await createTestDatabase();
  const admin = await createAdminApp(loadAdminConfig({ DATABASE_URL: db.url, ADMIN_TOKEN }), testLogger());
  await admin.listen({ port: 0, host: '127.0.0.1' });
  const gateway = options.gateway ? await createGatewayApp(loadGatewayConfig({ DATABASE_URL: db.url }), testLogger()) : undefined;
  await gateway?.listen({ port: 0, host: '127.0.0.1' });
  return {
    db,
    admin,
    adminUrl: urlOf(admin),
    gateway,
    gatewayPort: gateway ? Number(new URL(urlOf(gateway)).port) : undefined,
    close: async () => {
      await gateway?.close();
      await admin.close();
      await db.drop();
    },
  };
}

function urlOf(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** Signs in on the dashboard as a person would: the token field has focus on arrival. */
export async function signIn(page: Page, adminUrl: string, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(adminUrl);
  await page.getByLabel('Admin token or API key').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
}

/** Creates a tenant through the form on the tenants page and waits for its page. */
export async function createTenantOnDashboard(page: Page, slug: string, name: string): Promise<void> {
  const form = page.getByRole('region', { name: 'New tenant' });
  await form.getByLabel('Slug', { exact: true }).fill(slug);
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('button', { name: 'Create tenant' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** A call to the admin REST API from the test itself (as another administrator would). */
export async function callAdminApi<T = unknown>(
  stack: DashboardStack,
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.adminUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Presses Tab until the focused control is labelled `label` (fails after `max` presses): proves it is reachable by keyboard. */
export async function tabTo(page: Page, label: string, max = 60): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return '';
      const labelled = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent : null;
      return (element.getAttribute('aria-label') ?? labelled ?? element.textContent ?? '').trim();
    });
    if (focused === label || focused.startsWith(`${label} (`)) return;
  }
  throw new Error(`no control labelled ${JSON.stringify(label)} within ${max} Tab presses`);
}
