/** One answer of the admin API. */
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
  readonly ms: number;
}

/** A thin client of the admin REST API (`/api/v1`), Bearer-authenticated. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<ApiResponse<T>> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (e.g. an HTML page): the raw text is kept.
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed as T,
      text,
      ms: performance.now() - started,
    };
  }

  /** Like {@link request} but throws unless the status is the expected one. */
  async expect<T = any>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.request<T>(method, path, body, headers);
    if (response.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
    }
    return response.body;
  }

  createTenant(slug: string, extra: Record<string, unknown> = {}) {
    return this.expect(201, 'POST', '/tenants', { slug, name: slug, ...extra });
  }

  addOrigin(slug: string, origin: string) {
    return this.expect<{ id: string; value: string }>(201, 'POST', `/tenants/${slug}/origins`, { origin });
  }
}
