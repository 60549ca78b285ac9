import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The body of every admin API error; documented once in the OpenAPI document. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** An error the caller caused or may see: its status, a stable machine `code` and a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** 404: the thing named does not exist. */
export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);

/** 400: the request cannot be acted on as sent. */
export const badRequest = (message: string, code = 'bad_request') => new ApiError(400, code, message);

/** 409: the request clashes with the current state (a name already taken, a finished item). */
export const conflict = (message: string, code = 'conflict') => new ApiError(409, code, message);

/** 401: one message for a missing, wrong or revoked token, so the answer never says which. */
export const unauthorized = () => new ApiError(401, 'unauthorized', 'A valid bearer token is required');

const prismaCode = (err: unknown) =>
  typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;

/** http-errors as body-parser throws them (bad JSON, too large): safe to show, 4xx. */
const isExposedHttpError = (err: unknown): err is { status: number; message: string } =>
  typeof err === 'object' &&
  err !== null &&
  (err as { expose?: unknown }).expose === true &&
  typeof (err as { status?: unknown }).status === 'number';

/** Turns anything thrown into an ApiError; undefined means "our own failure" (500). */
function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return badRequest(`${where}${issue?.message ?? 'invalid input'}`, 'validation_failed');
  }
  if (prismaCode(err) === 'P2025') return notFound();
  if (prismaCode(err) === 'P2002') return conflict('Already exists');
  if (isExposedHttpError(err) && err.status < 500) {
    return new ApiError(err.status, err.status === 413 ? 'payload_too_large' : 'bad_request', err.message);
  }
  return undefined;
}

/**
 * The admin API's error boundary: caller mistakes get their status and message; anything else is a
 * 500 `internal` whose details go to the log only, under a correlation id the response repeats.
 */
export function adminErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError) {
      res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message } });
      return;
    }
    const correlationId = randomUUID();
    logger.error(
      { err, correlationId, method: req.method, path: req.baseUrl + req.path },
      'admin API request failed',
    );
    res.status(500).json({ error: { code: 'internal', message: `Internal error (ref ${correlationId})` } });
  };
}
