import { ApiError, type InvalidField } from './api-error.js';

const API_BASE = '/api/v1';

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Headers;
}

/** Builds `/tenants/acme/origins` from segments, each escaped. */
export function path(...segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${encodeURIComponent(String(segment))}`).join('');
}

/**
 * The admin REST API over `fetch`, with the bearer token of the session. The token travels in
 * the `Authorization` header only, never in a URL. Every failure becomes an {@link ApiError}
 * carrying the problem document's `detail` and `invalidFields`.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    /** Called when the API refuses the token (401), so the page can ask to sign in again. */
    private readonly onUnauthenticated: (error: ApiError) => void = () => {},
  ) {}

  get<T>(resource: string, options: RequestOptions = {}): Promise<T> {
    return this.send<T>('GET', resource, options).then((response) => response.data);
  }

  post<T>(resource: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.send<T>('POST', resource, { ...options, body }).then((response) => response.data);
  }

  put<T>(resource: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.send<T>('PUT', resource, { ...options, body }).then((response) => response.data);
  }

  async delete(resource: string, options: RequestOptions = {}): Promise<void> {
    await this.send<unknown>('DELETE', resource, options);
  }

  async send<T>(method: string, resource: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(API_BASE + resource, window.location.origin);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}`, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'The admin API cannot be reached. Check that the admin app is running, then try again.');
    }
    const data = await readBody(response);
    if (!response.ok) {
      const error = toApiError(response.status, data);
      if (response.status === 401) this.onUnauthenticated(error);
      throw error;
    }
    return { status: response.status, data: data as T, headers: response.headers };
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's error page, say): keep the status, show a generic message.
    return undefined;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const detail = typeof problem.detail === 'string' && problem.detail !== '' ? problem.detail : fallbackDetail(status);
  const invalidFields = Array.isArray(problem.invalidFields)
    ? problem.invalidFields.filter(
        (field): field is InvalidField =>
          typeof field === 'object' && field !== null && typeof field.field === 'string' && typeof field.reason === 'string',
      )
    : [];
  return new ApiError(status, detail, invalidFields, typeof problem.code === 'string' ? problem.code : undefined);
}

function fallbackDetail(status: number): string {
  if (status === 401) return 'The token was refused.';
  if (status === 403) return 'This token may not do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return `The admin API failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}
