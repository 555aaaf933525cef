/** A failure the CLI explains in one line (and, for an invalid document, one line per field), then exits 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
