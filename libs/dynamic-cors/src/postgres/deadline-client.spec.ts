import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DeadlineClient } from './deadline-client.js';

describe('DeadlineClient', () => {
  let db: TestDatabase;
  let client: DeadlineClient;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  beforeEach(async () => {
    client = new DeadlineClient({ connectionString: db.url });
    await client.connect();
  });
  afterEach(async () => {
    await client.end();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('hands pg one query at a time when a transaction issues several at once (pg’s deprecated queue), in the order issued', async () => {
    // pg's own query, watched: how many of its promise-style queries are unsettled at once.
    const pgQuery = pg.Client.prototype.query;
    let inPg = 0;
    let mostInPg = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const result = (pgQuery as (...args: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) {
        mostInPg = Math.max(mostInPg, ++inPg);
        result.then(() => inPg--, () => inPg--);
      }
      return result;
    } as typeof pgQuery;
    const watched = new DeadlineClient({ connectionString: db.url });
    try {
      await watched.connect();
      await watched.query('BEGIN');
      const finished: number[] = [];
      const issued = [
        watched.query('SELECT pg_sleep(0.05), 1 AS n'),
        watched.query('SELECT 2 AS n'),
        watched.query('SELECT 3 AS n'),
      ].map((query, index) => query.then((result) => (finished.push(index), result.rows[0].n as number)));

      expect(await Promise.all(issued)).toEqual([1, 2, 3]);
      expect(finished).toEqual([0, 1, 2]);
      expect(mostInPg).toBe(1);
      await watched.query('COMMIT');
    } finally {
      pg.Client.prototype.query = pgQuery;
      await watched.end();
    }
  });

  it('sends the next query after one that failed, and reports the failure to its own caller only', async () => {
    const failing = client.query('SELECT 1 / 0');
    const next = client.query('SELECT 4 AS n');
    await expect(failing).rejects.toThrow('division by zero');
    expect((await next).rows).toEqual([{ n: 4 }]);
  });

  it('still answers callback-style queries (pg-pool’s own)', async () => {
    const rows = await new Promise((resolve, reject) => {
      client.query('SELECT 5 AS n', (error, result) => (error ? reject(error) : resolve(result.rows)));
    });
    expect(rows).toEqual([{ n: 5 }]);
  });
});
