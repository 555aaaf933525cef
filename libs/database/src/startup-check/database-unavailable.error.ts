/**
 * The database an app is pointed at cannot serve it (unreachable, refused the credentials, no
 * such database, migrations missing): the message is one sentence naming the cause and the fix.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}
