import { Command, CommanderError, Option } from 'commander';
import { EXPORT_FORMATS, IMPORT_FORMATS } from '../../admin/src/config-as-code/offline-validation.js';
import type { Connection } from './admin-client.js';
import { CliError } from './cli-error.js';
import { apply, diff, dump, EXIT, exportConfig, importFile, type Output, validate } from './commands.js';

const DEFAULT_URL = 'http://127.0.0.1:3001';

/**
 * The `corsmesh` command line: configuration as code against the admin API. Returns the exit
 * code; every failure is one line on standard error (and one per invalid field).
 */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Output): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('corsmesh')
    .description('Configuration as code for corsmesh: dump, diff, apply, validate, import and export tenants’ CORS settings')
    .option('--url <url>', 'admin API base URL (CORSMESH_URL)', env.CORSMESH_URL ?? DEFAULT_URL)
    .option('--token <token>', 'root token or tenant API key (CORSMESH_TOKEN)', env.CORSMESH_TOKEN)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError();
  const connection = (): Connection => {
    const { url, token } = program.opts<{ url: string; token?: string }>();
    return { url, token };
  };
  const run = async (action: () => Promise<number>): Promise<void> => {
    code = await action();
  };

  program
    .command('dump')
    .description('write every tenant as the native corsmesh document (YAML)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--json', 'JSON instead of YAML')
    .action((options: { output?: string; json?: boolean }) => run(() => dump(connection(), options, io)));
  program
    .command('diff <file>')
    .description('show what apply would change (nothing is changed)')
    .option('--exit-code', 'exit 2 when the admin API differs from the file, 0 when in sync')
    .option('--json', 'the plan as JSON')
    .option('--prune', 'count tenants the file does not name as deletions')
    .action((file: string, options: { exitCode?: boolean; json?: boolean; prune?: boolean }) => run(() => diff(connection(), file, options, io)));
  program
    .command('apply <file>')
    .description('make every tenant the file names exactly as it says, in one transaction; others stay')
    .option('--prune', 'also delete the tenants the file does not name')
    .option('--dry-run', 'show the plan only')
    .action((file: string, options: { prune?: boolean; dryRun?: boolean }) => run(() => apply(connection(), file, options, io)));
  program
    .command('validate <file>')
    .description('validate a file offline, by the admin API’s own rules')
    .addOption(new Option('--format <format>', 'the file’s format').choices(IMPORT_FORMATS).default('corsmesh'))
    .option('--tenant <slug>', 'the tenant of a single-tenant format (s3, express)')
    .action((file: string, options: { format: string; tenant?: string }) => run(() => validate(file, options, io)));
  program
    .command('import <file>')
    .description('import a foreign document: show the plan, apply it with --apply')
    .addOption(new Option('--format <format>', 'the file’s format').choices(IMPORT_FORMATS).makeOptionMandatory())
    .option('--tenant <slug>', 'the tenant of an s3 or express file (or of Kong routes without host or tag)')
    .option('--apply', 'apply the plan')
    .option('--prune', 'also delete the tenants the file does not name (corsmesh and kong)')
    .option('--json', 'the plan as JSON')
    .action((file: string, options: { format: string; tenant?: string; apply?: boolean; prune?: boolean; json?: boolean }) =>
      run(() => importFile(connection(), file, options, io)),
    );
  program
    .command('export')
    .description('write tenants in a format (with what it cannot represent on standard error)')
    .addOption(new Option('--format <format>', 'the format').choices(EXPORT_FORMATS).default('corsmesh'))
    .option('--tenant <slug>', 'one tenant (required for s3)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addOption(new Option('--as <syntax>', 'json, yaml or xml (s3); default: by the file name, else YAML (JSON for s3)'))
    .option('--report', 'answer {document, losses} as JSON')
    .action((options: { format: string; tenant?: string; output?: string; as?: string; report?: boolean }) =>
      run(() => exportConfig(connection(), options.report ? { ...options, as: 'json' } : options, io)),
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    if (error instanceof CliError) {
      io.err(`corsmesh: ${error.message}\n`);
      for (const detail of error.details) io.err(`  ${detail}\n`);
      return EXIT.error;
    }
    throw error;
  }
}
