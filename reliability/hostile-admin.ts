/**
 * Hostile input against the admin app's own defences (issue 19), run by `hostile.ts` against
 * its processes: keys created with a leaked key, bodies nested thousands of levels deep (the
 * gateway's echo included), Swagger UI's headers, and the failed-authentication limit under
 * rotated `X-Forwarded-For` headers and key guesses. The limit goes last: once this client's
 * address is past it, every wrong token it sends is a 429.
 */
import { randomInt } from 'node:crypto';
import type { AdminClient } from './lib/admin-client.js';
import type { Checks } from './lib/results.js';
import type { App } from './lib/stack.js';

/** What the part needs from `hostile.ts`: its running apps and its checks. */
export interface HostileAdminContext {
  readonly admin: App;
  readonly gateway: App;
  readonly checks: Checks;
}

// The admin's MAX_AUTH_FAILURES: failures past it are answered 429.
const FAILURES_BEFORE_429 = 10;

/** Runs every case; returns how many hostile inputs it sent. */
export async function hostileAdminSecurity({ admin, gateway, checks }: HostileAdminContext): Promise<number> {
  const root = admin.client();
  let inputs = 0;
  const status = async (client: AdminClient, method: string, path: string, body?: unknown, headers = {}) => {
    inputs++;
    return (await client.request(method, path, body, headers)).status;
  };

  await root.createTenant('keyring');
  await root.addOrigin('keyring', 'https://keyring.example');

  // Keys created with a leaked key stop working with it, transitively; a sibling does not.
  const create = (client: AdminClient, name: string) =>
    client.expect<{ id: string; secret: string }>(201, 'POST', '/tenants/keyring/api-keys', { name });
  const leaked = await create(root, 'leaked');
  const child = await create(admin.client(leaked.secret), 'made by the leaked key');
  const grandchild = await create(admin.client(child.secret), 'made by that one');
  const sibling = await create(root, 'sibling');
  await root.expect(204, 'DELETE', `/tenants/keyring/api-keys/${leaked.id}`);
  const after = await Promise.all(
    [leaked, child, grandchild, sibling].map((key) => status(admin.client(key.secret), 'GET', '/tenants/keyring')),
  );
  checks.check(
    after.join() === '401,401,401,200',
    `admin: after revoking a leaked key, it, its child, its grandchild and a sibling answered ${after.join()} (expected 401,401,401,200)`,
  );

  // Bodies nested 5,000 and 50,000 levels deep: a 400 naming the body, never a 5xx.
  for (const depth of [5_000, 50_000]) {
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const [method, path, body] of [
      ['POST', '/tenants', `{"slug":"deep","name":${deep}}`],
      ['PUT', '/tenants/keyring/origins', `{"origins":${deep}}`],
      ['PATCH', '/tenants/keyring/policy', deep],
      ['POST', '/tenants/keyring/check', `{"origin":${deep}}`],
    ] as const) {
      inputs++;
      const response = await root.request(method, path, body);
      const field = (response.body as { invalidFields?: { field: string }[] } | undefined)?.invalidFields?.[0]?.field;
      checks.check(
        response.status === 400 && field === 'body',
        `admin ${method} ${path} with a body nested ${depth} deep: expected 400 on body, got ${response.status} ${response.text.slice(0, 120)}`,
      );
    }
    inputs++;
    const echoed = await fetch(`${gateway.url}/t/keyring/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://keyring.example' },
      body: deep,
    }).then(
      (response) => response.status,
      () => 0,
    );
    checks.check(
      echoed > 0 && echoed < 500,
      `gateway echo with a body nested ${depth} deep: expected an answer below 500, got ${echoed}`,
    );
  }

  // Swagger UI: the dashboard's headers, and no token kept in browser storage.
  for (const path of ['/docs', '/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js']) {
    inputs++;
    const response = await fetch(`${admin.url}${path}`);
    const body = await response.text();
    checks.check(
      response.status === 200 &&
        (response.headers.get('content-security-policy') ?? '').includes("frame-ancestors 'none'") &&
        response.headers.get('x-frame-options') === 'DENY' &&
        response.headers.get('x-content-type-options') === 'nosniff',
      `admin ${path}: expected 200 with CSP frame-ancestors 'none', X-Frame-Options DENY and nosniff`,
    );
    if (path.endsWith('init.js')) {
      checks.check(!/persistAuthorization:\s*true/.test(body), 'admin: Swagger UI persists the authorisation');
    }
  }

  // The failed-authentication limit: a rotated X-Forwarded-For changes nothing (TRUST_PROXY
  // is off), guesses end in 429, and the valid credentials still authenticate.
  const tenantKey = await create(root, 'still works');
  const spoofed = () => ({ 'x-forwarded-for': `198.51.100.${randomInt(1, 255)}` });
  const wrong: number[] = [];
  for (let i = 0; i < FAILURES_BEFORE_429 * 3; i++) {
    wrong.push(await status(admin.client(`wrong-token-guess-${i}-0123456789`), 'GET', '/tenants', undefined, spoofed()));
  }
  // The revoked keys above already failed from this address, so 429 may come earlier.
  checks.check(
    wrong.every((s, i) => s === 429 || (s === 401 && i < FAILURES_BEFORE_429 && wrong[i - 1] !== 429)) &&
      wrong.slice(FAILURES_BEFORE_429).every((s) => s === 429),
    `admin: ${wrong.length} wrong tokens with rotated X-Forwarded-For answered ${summarise(wrong)} (expected at most ${FAILURES_BEFORE_429} × 401, then 429)`,
  );
  const guessPrefix = tenantKey.secret.split('_')[1]!;
  const guesses: number[] = [];
  for (let i = 0; i < FAILURES_BEFORE_429 * 2; i++) {
    const guess = `cmk_${guessPrefix}_${String(i).padStart(43, 'G')}`;
    guesses.push(await status(admin.client(guess), 'GET', '/tenants/keyring', undefined, spoofed()));
  }
  checks.check(
    guesses.every((s) => s === 429),
    `admin: guesses of one key's secret from a blocked address answered ${summarise(guesses)} (expected 429)`,
  );
  const valid = [
    await status(root, 'GET', '/tenants', undefined, spoofed()),
    await status(admin.client(tenantKey.secret), 'GET', '/tenants/keyring', undefined, spoofed()),
  ];
  checks.check(
    valid.join() === '200,200',
    `admin: the root token and a tenant key at the blocked address answered ${valid.join()} (expected 200,200: never locked out)`,
  );
  return inputs;
}

/** `401 ×10, 429 ×20`: statuses in order, runs folded. */
function summarise(statuses: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const s of statuses) {
    const last = runs.at(-1);
    if (last?.[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs.map(([s, n]) => `${s} ×${n}`).join(', ');
}
