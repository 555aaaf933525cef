import { readFile, writeFile } from 'node:fs/promises';
import { type ImportFormat, syntaxOfFile, validateConfiguration } from '../../admin/src/config-as-code/offline-validation.js';
import { callAdmin, type Connection } from './admin-client.js';
import { CliError } from './cli-error.js';
import { changesAnything, countsOf, type Plan, renderPlan, summaryOf } from './plan-output.js';

/** Where the CLI writes: standard output for results, standard error for progress and errors. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes: 0 done (or in sync), 1 error, 2 `diff --exit-code` found differences. */
export const EXIT = { ok: 0, error: 1, differs: 2 } as const;

const MEDIA_TYPES = { json: 'application/json', yaml: 'application/yaml', xml: 'application/xml' } as const;
type Syntax = keyof typeof MEDIA_TYPES;

/** `dump [-o FILE] [--json]`: every tenant as the native document (YAML unless --json). */
export async function dump(connection: Connection, options: { output?: string; json?: boolean }, io: Output): Promise<number> {
  return exportConfig(connection, { format: 'corsmesh', output: options.output, as: options.json ? 'json' : 'yaml' }, io);
}

/** `export --format F [--tenant S] [-o FILE] [--as json|yaml|xml] [--report]`. */
export async function exportConfig(
  connection: Connection,
  options: { format: string; tenant?: string; output?: string; as?: string; report?: boolean },
  io: Output,
): Promise<number> {
  const as = syntaxOf(options.as, options.output, options.format === 's3' ? 'json' : 'yaml');
  const query = new URLSearchParams({ format: options.format, ...(options.tenant ? { tenant: options.tenant } : {}), ...(options.report ? { report: 'true' } : {}) });
  const response = await callAdmin(connection, { method: 'GET', path: `api/v1/export?${query}`, accept: MEDIA_TYPES[as] });
  const losses = response.headers.get('cors-export-losses');
  if (losses !== null) io.err(`the ${options.format} format cannot represent ${losses} thing(s) of this configuration; --report lists them\n`);
  if (options.output === undefined) io.out(response.text.endsWith('\n') ? response.text : `${response.text}\n`);
  else {
    await writeFile(options.output, response.text);
    io.err(`wrote ${options.output}\n`);
  }
  return EXIT.ok;
}

/** `diff FILE [--exit-code] [--json] [--prune]`: what `apply` would change, changing nothing. */
export async function diff(connection: Connection, file: string, options: { exitCode?: boolean; json?: boolean; prune?: boolean }, io: Output): Promise<number> {
  const plan = await planOf(connection, file, { format: 'corsmesh', dryRun: true, prune: options.prune === true });
  io.out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan));
  return options.exitCode && changesAnything(plan) ? EXIT.differs : EXIT.ok;
}

/** `apply FILE [--prune] [--dry-run]`: makes every tenant the file names exactly as it says. */
export async function apply(connection: Connection, file: string, options: { prune?: boolean; dryRun?: boolean }, io: Output): Promise<number> {
  return importAndApply(connection, file, { format: 'corsmesh', prune: options.prune === true, apply: options.dryRun !== true }, io);
}

/** `import --format s3|kong|express FILE [--tenant S] [--apply] [--prune] [--json]`: the plan, applied only with --apply. */
export async function importFile(
  connection: Connection,
  file: string,
  options: { format: string; tenant?: string; apply?: boolean; prune?: boolean; json?: boolean },
  io: Output,
): Promise<number> {
  if (options.json) {
    const plan = await planOf(connection, file, { format: options.format, tenant: options.tenant, dryRun: options.apply !== true, prune: options.prune === true });
    io.out(`${JSON.stringify(plan, null, 2)}\n`);
    return EXIT.ok;
  }
  return importAndApply(connection, file, { format: options.format, tenant: options.tenant, prune: options.prune === true, apply: options.apply === true }, io);
}

/** `validate FILE [--format F] [--tenant S]`: offline, by the admin API's own rules. */
export async function validate(file: string, options: { format: string; tenant?: string }, io: Output): Promise<number> {
  const text = await readSource(file);
  const result = validateConfiguration(text, file, options.format as ImportFormat, options.tenant);
  for (const loss of result.losses) io.err(`loss: ${loss.where}: ${loss.what}\n`);
  if (result.invalid.length > 0) throw new CliError(`${file} is not valid: ${result.invalid.length} problem(s)`, result.invalid.map((f) => `${f.field}: ${f.reason}`));
  io.out(`${file} is valid: ${result.tenants} tenant(s)\n`);
  return EXIT.ok;
}

/**
 * Shows the plan; when asked to apply and there is something to change, applies it (one
 * transaction on the server), reporting progress while it runs and the result when done.
 */
async function importAndApply(
  connection: Connection,
  file: string,
  options: { format: string; tenant?: string | undefined; prune: boolean; apply: boolean },
  io: Output,
): Promise<number> {
  const plan = await planOf(connection, file, { ...options, dryRun: true });
  io.out(renderPlan(plan));
  if (!options.apply || !changesAnything(plan)) return EXIT.ok;
  const counts = countsOf(plan);
  const changing = counts.create + counts.update + counts.delete;
  const started = Date.now();
  io.err(`applying ${changing} change(s) in one transaction…\n`);
  const ticker = setInterval(() => io.err(`  still applying ${changing} change(s)… ${Math.round((Date.now() - started) / 1000)} s\n`), 2000);
  try {
    const applied = await planOf(connection, file, { ...options, dryRun: false });
    io.out(`applied in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summaryOf(applied)}\n`);
  } finally {
    clearInterval(ticker);
  }
  return EXIT.ok;
}

async function planOf(
  connection: Connection,
  file: string,
  options: { format: string; tenant?: string | undefined; dryRun: boolean; prune: boolean },
): Promise<Plan> {
  const text = await readSource(file);
  const query = new URLSearchParams({
    format: options.format,
    dryRun: String(options.dryRun),
    prune: String(options.prune),
    ...(options.tenant ? { tenant: options.tenant } : {}),
  });
  const response = await callAdmin(connection, {
    method: 'POST',
    path: `api/v1/import?${query}`,
    body: text,
    contentType: MEDIA_TYPES[syntaxOfFile(file, text)],
  });
  return JSON.parse(response.text) as Plan;
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function syntaxOf(as: string | undefined, output: string | undefined, fallback: Syntax): Syntax {
  if (as !== undefined) {
    if (!(as in MEDIA_TYPES)) throw new CliError(`--as must be json, yaml or xml, not ${as}`);
    return as as Syntax;
  }
  return output === undefined ? fallback : syntaxOfFile(output, '');
}
