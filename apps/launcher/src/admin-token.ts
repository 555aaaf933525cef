import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AdminToken {
  readonly token: string;
  /** Where a generated token is kept; undefined when it came from ADMIN_TOKEN. */
  readonly file?: string;
  /** True when this start created it: the only time it is printed. */
  readonly generated: boolean;
}

/**
 * The root admin token: ADMIN_TOKEN when set; otherwise the one kept in the data folder, or a
 * new one. A new token is only written by {@link keepAdminToken}, once start-up succeeded, so
 * a failed start never keeps a token nobody was shown.
 */
export async function resolveAdminToken(configured: string | undefined, dataDir: string): Promise<AdminToken> {
  if (configured) return { token: configured, generated: false };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: (await readFile(file, 'utf8')).trim(), file, generated: false };
  return { token: `cmr_${randomBytes(24).toString('base64url')}`, file, generated: true };
}

/** Keeps a generated token (readable by its owner only) so a restart does not sign everyone out. */
export async function keepAdminToken(adminToken: AdminToken): Promise<void> {
  if (!adminToken.generated || !adminToken.file) return;
  await mkdir(join(adminToken.file, '..'), { recursive: true, mode: 0o755 });
  await writeFile(adminToken.file, adminToken.token + '\n', { mode: 0o600 });
}
