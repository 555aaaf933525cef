import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type InvalidField } from './domain-error.js';
import { httpStatusOf } from './error-catalogue.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem document, as this service writes it. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: string;
  readonly invalidFields?: readonly InvalidField[];
  readonly requestId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Every error leaves the service as `application/problem+json` (RFC 9457): domain errors with
 * their code and failing fields, Nest and Fastify HTTP errors with their status, anything
 * else as a 500 that carries the request id and not the internals (the log has the cause).
 * Headers already set on the reply (such as CORS headers) are kept.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = problemOf(exception, request);
    if (problem.status >= 500) {
      this.logger.error(exception instanceof Error ? exception : new Error(String(exception)), `request ${request.id}`);
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}

/**
 * The problem document of an error: domain errors with their code and failing fields, HTTP
 * errors (Nest's, Fastify's) with their status, anything else a 500 that names the request id
 * and not the internals. For Fastify apps and error handlers outside Nest's filters too.
 */
export function problemOf(exception: unknown, request: Pick<FastifyRequest, 'url' | 'id'>): ProblemDetails {
  const instance = request.url.split('?')[0];
  if (exception instanceof DomainError) {
    const status = httpStatusOf(exception.code);
    return {
      type: `urn:corsmesh:problem:${exception.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: exception.detail,
      instance,
      code: exception.code,
      ...(exception.invalidFields.length ? { invalidFields: exception.invalidFields } : {}),
      ...(status >= 500 ? { requestId: String(request.id) } : {}),
    };
  }
  const status = statusOf(exception);
  if (status >= 500) {
    return {
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail: `the request failed; quote request id ${String(request.id)} when reporting it`,
      instance,
      requestId: String(request.id),
    };
  }
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: messageOf(exception, status), instance };
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  // Fastify's own errors (body too large, bad JSON, unsupported media type) carry statusCode.
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
}

function messageOf(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    if (typeof body === 'string') return body;
    const message = (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  if (exception instanceof Error && exception.message) return exception.message;
  return TITLES[status] ?? 'error';
}
