import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from '#config';
import { DatabaseUnavailableError, EmbeddedDatabaseError, MigrationFailedError } from '#database';

/** A start-up failure whose message already names the cause and the fix, shown as it is. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface ListenTarget {
  /** Who is listening, for the message: `gateway`, `admin app`. */
  readonly name: string;
  readonly port: number;
  readonly host: string;
  /** The variable that sets the port, named in the fix. */
  readonly portVariable: string;
}

/** `app.listen()`, with a port in use (and the like) turned into a {@link StartupError}. */
export async function listenOrExplain(app: NestFastifyApplication, target: ListenTarget): Promise<void> {
  try {
    await app.listen({ port: target.port, host: target.host });
  } catch (error) {
    const at = `${target.host}:${target.port}`;
    switch ((error as NodeJS.ErrnoException).code ?? '') {
      case 'EADDRINUSE':
        throw new StartupError(`the ${target.name} cannot listen on ${at}: the port is in use; stop what uses it or set ${target.portVariable} to a free port`, { cause: error });
      case 'EACCES':
        throw new StartupError(`the ${target.name} may not listen on ${at} (permission denied): set ${target.portVariable} to a port above 1023`, { cause: error });
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
        throw new StartupError(`the ${target.name} cannot listen on ${at}: ${target.host} is not an address of this machine; fix HOST`, { cause: error });
      default:
        throw error;
    }
  }
}

/** What to print when start-up fails: one line, plus the stack when nobody foresaw the error. */
export interface StartupFailure {
  readonly line: string;
  /** Set only for an unexpected error (a bug): its stack trace. */
  readonly stack?: string;
}

export function describeStartupFailure(error: unknown): StartupFailure {
  if (error instanceof ConfigError) {
    const problems = error.problems.map((problem) => `${problem.variable}: ${problem.reason}`).join('; ');
    return { line: `invalid configuration: ${problems} (fix ${error.problems.length > 1 ? 'these variables' : 'it'} in the environment; .env.example lists them all)` };
  }
  if (
    error instanceof StartupError ||
    error instanceof EmbeddedDatabaseError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof MigrationFailedError
  ) {
    return { line: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: `${message} (unexpected; set LOG_LEVEL=debug to see where it happened)`, stack: error instanceof Error ? error.stack : undefined };
}

/** Prints the failure on stderr as one line (the stack too at debug level) and exits with 1. */
export function exitOnStartupFailure(who: string, error: unknown, logLevel: string | undefined): never {
  const failure = describeStartupFailure(error);
  process.stderr.write(`${who} failed to start: ${failure.line}\n`);
  if (failure.stack && (logLevel === 'debug' || logLevel === 'trace')) process.stderr.write(failure.stack + '\n');
  process.exit(1);
}
