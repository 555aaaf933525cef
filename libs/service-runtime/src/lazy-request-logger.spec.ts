import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { lazyChildLoggerFactory } from './lazy-request-logger.js';

function capturingLogger(level: string, options: { countChildren?: boolean } = {}) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ level, base: undefined, timestamp: false }, stream);
  let children = 0;
  if (options.countChildren) {
    // An own property of the parent only: pino's children inherit it, so only use it to count.
    const child = parent.child.bind(parent);
    parent.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof parent.child;
  }
  return { parent: parent as unknown as FastifyBaseLogger, lines, children: () => children };
}

describe(lazyChildLoggerFactory.name, () => {
  it('writes what an eager child would: the message with the request bindings', () => {
    const { parent, lines } = capturingLogger('info');
    const log = lazyChildLoggerFactory(parent, { reqId: 'req-7' }, {});

    log.warn({ upstream: 'http://a.test' }, 'upstream request failed');
    log.info('second');

    expect(lines).toEqual([
      { level: 40, reqId: 'req-7', upstream: 'http://a.test', msg: 'upstream request failed' },
      { level: 30, reqId: 'req-7', msg: 'second' },
    ]);
  });

  it('makes no child logger for a request that logs nothing, or only below the level', () => {
    const { parent, lines, children } = capturingLogger('warn', { countChildren: true });
    const log = lazyChildLoggerFactory(parent, { reqId: 'req-1' }, {});

    log.info('not written');
    log.debug('not written either');

    expect(children()).toBe(0);
    expect(lines).toEqual([]);
    log.error('written');
    expect(children()).toBe(1);
    expect(lines).toEqual([{ level: 50, reqId: 'req-1', msg: 'written' }]);
  });

  it('reports the level and passes a child of its own on', () => {
    const { parent, lines } = capturingLogger('info');
    const log = lazyChildLoggerFactory(parent, { reqId: 'req-2' }, {});

    expect(log.level).toBe('info');
    log.child({ part: 'proxy' }).info('nested');

    expect(lines).toEqual([{ level: 30, reqId: 'req-2', part: 'proxy', msg: 'nested' }]);
  });
});
