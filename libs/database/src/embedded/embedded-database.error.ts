/**
 * The embedded PostgreSQL could not start, for a reason the person starting it can act on:
 * the message is one sentence naming the cause and what to do, meant to be shown as it is.
 */
export class EmbeddedDatabaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedDatabaseError';
  }
}
