import { Prisma } from '#database';

/** A Prisma client or an interactive transaction: what repositories run their queries on. */
export type Db = Prisma.TransactionClient;

/** A unique constraint refused the write (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The row to update or delete was not there (Prisma P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

// Prisma's codes for a database it cannot reach or lost: P1001 unreachable, P1002 timed out,
// P1008 operation timed out, P1017 server closed the connection, P2024 no pool connection in time,
// P2028 a transaction not started (no connection) or expired (its queries unanswered) in time.
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
// What @prisma/adapter-pg reports for a lost or refused connection.
const UNAVAILABLE_DRIVER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
// SQLSTATE class 08 (connection exception), 57014 (statement cancelled, by DATABASE_QUERY_TIMEOUT_MS)
// and 57P01-57P03 (server shutting down, restarting or starting up):
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNAVAILABLE_SQLSTATE = /^(?:08[0-9A-Z]{3}|57014|57P0[123])$/;
// What `pg` throws itself, without a code, when a connection dies, the pool cannot get one, or a
// query gets no answer in time (a partition).
const UNAVAILABLE_PG_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/;

/**
 * The database cannot be reached right now (down, restarting, or the connection was lost), as
 * opposed to a query it refused. Looks through Prisma's wrapping and the error's causes.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    const driver = (
      current as {
        meta?: {
          driverAdapterError?: {
            cause?: { kind?: unknown; code?: unknown; originalCode?: unknown };
          };
        };
      }
    ).meta?.driverAdapterError?.cause;
    if (driver !== undefined) {
      if (typeof driver.kind === 'string' && UNAVAILABLE_DRIVER_KINDS.has(driver.kind)) return true;
      for (const sqlState of [driver.code, driver.originalCode]) {
        if (typeof sqlState === 'string' && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
      }
    }
    if (UNAVAILABLE_PG_MESSAGE.test(current.message)) return true;
  }
  return false;
}

/**
 * PostgreSQL refused a text value it cannot store (SQLSTATE 22021, e.g. U+0000), sent where no
 * validation looked, such as a path parameter.
 */
export function isUnstorableText(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const driver = (
      current as { meta?: { driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } } }
    ).meta?.driverAdapterError?.cause;
    if (driver?.code === '22021' || driver?.originalCode === '22021') return true;
    if (
      (current as { code?: unknown }).code === '22021' ||
      /invalid byte sequence for encoding "UTF8": 0x00/.test(current.message)
    ) {
      return true;
    }
  }
  return false;
}
