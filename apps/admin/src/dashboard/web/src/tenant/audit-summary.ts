import type { AuditEvent } from '../api/types.js';

const ACTION_LABELS: Record<string, string> = {
  'tenant.created': 'Tenant created',
  'tenant.updated': 'Tenant changed',
  'tenant.deleted': 'Tenant deleted',
  'tenant.imported': 'Imported from a configuration',
  'policy.updated': 'Policy changed',
  'origin.added': 'Origin added',
  'origin.removed': 'Origin removed',
  'origins.replaced': 'Origins replaced',
  'api-key.created': 'API key created',
  'api-key.revoked': 'API key revoked',
  'refusal.dismissed': 'Refusal dismissed',
  'version.restored': 'Version restored',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** One line saying what changed, from the event's before and after; '' when there is nothing short to say. */
export function summarise(event: AuditEvent): string {
  const before = asRecord(event.before);
  const after = asRecord(event.after);
  switch (event.action) {
    case 'origin.added':
      return text(after?.value);
    case 'origin.removed':
      return text(before?.value);
    case 'refusal.dismissed':
      return before ? `${text(before.origin)} (${text(before.reason)})` : '';
    case 'origins.replaced': {
      const was = listOf(event.before);
      const now = listOf(event.after);
      return was && now ? `${count(was.length, 'origin')} → ${count(now.length, 'origin')}` : '';
    }
    case 'api-key.created':
    case 'api-key.revoked': {
      const key = after ?? before;
      return key ? `${text(key.name)} (${text(key.prefix)})` : '';
    }
    case 'policy.updated':
    case 'tenant.updated': {
      if (!before || !after) return '';
      const ignored = new Set(['version', 'updatedAt']);
      const changed = Object.keys(after).filter((key) => !ignored.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
      return changed.map((key) => `${key}: ${brief(before[key])} → ${brief(after[key])}`).join('; ');
    }
    case 'tenant.created':
      return text(after?.slug);
    case 'version.restored':
      return after ? `version ${text(after.restoredFrom)} restored as version ${text(after.version)}` : '';
    default:
      return '';
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A list snapshot: an array, or `{items: [...]}` / `{origins: [...]}`. */
function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  const record = asRecord(value);
  const inner = record?.items ?? record?.origins;
  return Array.isArray(inner) ? inner : null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** A field's value in a few characters: lists joined, `none` for an empty one. */
export function brief(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map(text).join(', ') : 'none';
  return value === undefined || value === null ? 'none' : text(value);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
