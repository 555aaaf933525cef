import type { PathRule, PathRuleOrigin } from '../api/types.js';
import { splitNames } from './policy-form.js';

/**
 * One path rule as the form holds it: lists as typed text, where empty text means "the
 * policy's" (the field is left out, so the policy's value applies on that path).
 */
export interface PathRuleForm {
  /** Stable across reordering, for Preact's keys and the labels' ids. */
  readonly key: number;
  readonly path: string;
  /** One origin rule per line; a line starting with `^` is a regex. */
  readonly origins: string;
  readonly allowedMethods: string;
  readonly allowedHeaders: string;
  readonly exposedHeaders: string;
  readonly allowCredentials: 'inherit' | 'true' | 'false';
  readonly maxAge: string;
  readonly disabled: boolean;
}

let nextKey = 1;

export function emptyPathRule(): PathRuleForm {
  return {
    key: nextKey++,
    path: '',
    origins: '',
    allowedMethods: '',
    allowedHeaders: '',
    exposedHeaders: '',
    allowCredentials: 'inherit',
    maxAge: '',
    disabled: false,
  };
}

export function pathRuleFormOf(rule: PathRule): PathRuleForm {
  return {
    key: nextKey++,
    path: rule.path,
    origins: (rule.origins ?? []).map((origin) => (typeof origin === 'string' ? origin : origin.pattern)).join('\n'),
    allowedMethods: (rule.allowedMethods ?? []).join(', '),
    allowedHeaders: (rule.allowedHeaders ?? []).join(', '),
    exposedHeaders: (rule.exposedHeaders ?? []).join(', '),
    allowCredentials: rule.allowCredentials === undefined ? 'inherit' : rule.allowCredentials ? 'true' : 'false',
    maxAge: rule.maxAge === undefined ? '' : String(rule.maxAge),
    disabled: rule.disabled === true,
  };
}

/** The rule as the API takes it; `maxAge` is sent as typed when it is not a number, so the API names the field. */
export function pathRuleOf(form: PathRuleForm): PathRule & { maxAge?: number | string } {
  const origins = form.origins
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line): PathRuleOrigin => (line.startsWith('^') ? { pattern: line, type: 'regex' } : line));
  const list = (text: string) => (splitNames(text).length ? splitNames(text) : undefined);
  const maxAge = form.maxAge.trim();
  const rule: Record<string, unknown> = {
    path: form.path.trim(),
    origins: origins.length ? origins : undefined,
    allowedMethods: list(form.allowedMethods),
    allowedHeaders: list(form.allowedHeaders),
    exposedHeaders: list(form.exposedHeaders),
    allowCredentials: form.allowCredentials === 'inherit' ? undefined : form.allowCredentials === 'true',
    maxAge: maxAge === '' ? undefined : /^-?\d+$/.test(maxAge) ? Number(maxAge) : maxAge,
    disabled: form.disabled ? true : undefined,
  };
  for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
  return rule as unknown as PathRule;
}

/** The list with the rule at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}
