import { CliError } from './cli-error.js';

/** Where the admin API is and how to authenticate (`--url`/`--token` or CORSMESH_URL/CORSMESH_TOKEN). */
export interface Connection {
  readonly url: string;
  readonly token: string | undefined;
}

/** An answer of the admin API that was not an error. */
export interface AdminResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** The longest the CLI waits for one answer: an import of thousands of tenants takes a while. */
const REQUEST_TIMEOUT_MS = 300_000;

/** Calls the admin API; every failure becomes a {@link CliError} that says what to check. */
export async function callAdmin(
  connection: Connection,
  request: { method: 'GET' | 'POST'; path: string; body?: string; contentType?: string; accept?: string },
): Promise<AdminResponse> {
  if (connection.token === undefined || connection.token === '') throw new CliError('no token: pass --token or set CORSMESH_TOKEN');
  const url = new URL(request.path, connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
        ...(request.accept === undefined ? {} : { accept: request.accept }),
      },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(`cannot reach the admin API at ${connection.url} (${reasonOf(error)}); check --url or CORSMESH_URL`);
  }
  const text = await response.text();
  if (response.ok) return { status: response.status, headers: response.headers, text };
  throw problemOf(connection, response.status, text);
}

function problemOf(connection: Connection, status: number, text: string): CliError {
  let problem: { detail?: string; invalidFields?: { field: string; reason: string }[] } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    // Not a problem document (a proxy's error page): the status says enough.
  }
  const detail = problem.detail ?? text.slice(0, 200);
  if (status === 401) return new CliError(`the admin API at ${connection.url} refused the token (401: ${detail}); check --token or CORSMESH_TOKEN`);
  if (status === 400 && problem.invalidFields !== undefined) {
    return new CliError(
      `the admin API refused the request (400): ${problem.invalidFields.length} problem(s)`,
      problem.invalidFields.map((f) => `${f.field}: ${f.reason}`),
    );
  }
  return new CliError(`the admin API answered ${status}: ${detail}`);
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
