import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface ProbeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request over a kept-alive connection (for polling and for reading `/metrics`). */
export function probe(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Counters and histogram counts of a gateway's `/metrics`, by series name (labels ignored). */
export async function gatewayMetrics(baseUrl: string): Promise<Record<string, number>> {
  const { body } = await probe(`${baseUrl}/metrics`);
  const values: Record<string, number> = {};
  for (const line of body.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match) values[match[1]!] = (values[match[1]!] ?? 0) + Number(match[2]);
  }
  return values;
}

export function closeProbeConnections(): void {
  agent.destroy();
}
