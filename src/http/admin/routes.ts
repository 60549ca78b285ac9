import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WhatsAppWebAdapter } from '../../channels/whatsapp-web/adapter.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { AuditActor } from '../../services/audit.js';
import type { ServiceDeps } from '../../services/index.js';
import { createAdminAuth } from './auth.js';
import { adminErrorHandler, errorSchema, notFound } from './errors.js';

/**
 * The admin API's route registry: each route is declared once, with zod schemas, and is both mounted
 * on `api.router` (validated, authenticated) and described by `api.openapi()`.
 *
 * A route module registers its routes on the api; the composition root calls every module listed in
 * `ADMIN_ROUTE_MODULES` (src/http/admin/index.ts):
 *
 * ```ts
 * export const cooperativeRoutes: AdminRouteModule = (api, deps) => {
 *   api.route({
 *     method: 'post',
 *     path: '/cooperatives/:id/approve',
 *     summary: 'Approve a pending cooperative',
 *     tags: ['cooperatives'],
 *     params: z.object({ id: z.string() }),
 *     body: z.object({ note: z.string().max(500).optional() }),
 *     responses: { 200: cooperativeSchema },
 *     handler: ({ params, body, actor, db, now }) =>
 *       db.$transaction((tx) => createCooperativeService(tx).approve(params.id, actor, now, body.note)),
 *   });
 * };
 * ```
 *
 * - `params`, `query` and `body` are parsed with their schemas before the handler runs; a failure is
 *   a 400 `validation_failed` naming the field (`query.pageSize: …`). Query values arrive as strings:
 *   use `z.coerce` for numbers (see `paginationQuery`).
 * - The handler's result is sent with the lowest status in `responses` (`return reply(201, x)` picks
 *   another). It is serialised as JSON (Dates become ISO strings: declare them `z.iso.datetime()`)
 *   and parsed with that status's schema, so only declared fields leave and the document stays true.
 * - Throw `notFound()`, `badRequest()`, `conflict()` (./errors.ts) for the caller's mistakes; a
 *   Prisma P2025 becomes a 404; anything else a 500 without details.
 * - `actor` (the token that called) goes to the audit log with every decision.
 */

/** HTTP methods the registry mounts. */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** Statuses a handler may answer with; errors are thrown instead. */
export type SuccessStatus = 200 | 201 | 202;

/** What a handler receives: the parsed input, who is calling, the database and the time. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: AuditActor;
  db: Db;
  now: Date;
  /** A request header (`Idempotency-Key`), case-insensitive; document it in the route's description. */
  header(name: string): string | undefined;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One route as declared: the source of both its handling and its OpenAPI operation. */
export interface RouteDefinition<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** Express style, relative to /api: `/funding-requests/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  responses: Partial<Record<SuccessStatus, z.ZodType>>;
  handler: (ctx: RouteContext<Parsed<P>, Parsed<Q>, Parsed<B>>) => Promise<unknown>;
}

/** A registered route, as the registry lists it (for documentation and tests). */
export type RegisteredRoute = Omit<RouteDefinition, 'params' | 'query' | 'body' | 'handler'> & {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
};

/** A handler's answer with a status other than the route's default. */
export class Reply {
  constructor(
    readonly status: SuccessStatus,
    readonly body: unknown,
  ) {}
}

/** Answers with `status` instead of the route's lowest declared one: `return reply(201, created)`. */
export const reply = (status: SuccessStatus, body: unknown) => new Reply(status, body);

/** A download instead of JSON (a CSV export): sent as is with a 200, its content type and file name. */
export class FileReply {
  constructor(
    readonly contentType: string,
    readonly filename: string,
    readonly body: string,
  ) {}
}

/** Answers with a file: `return fileReply('text/csv; charset=utf-8', 'products.csv', csv)`. */
export const fileReply = (contentType: string, filename: string, body: string) =>
  new FileReply(contentType, filename, body);

/** What `createAdminApi` needs; `adminToken` is ADMIN_API_TOKEN (named tokens live in the database). */
export interface AdminApiDeps {
  prisma: Db;
  logger: Logger;
  adminToken?: string;
  clock?: () => Date;
}

/** What every route module is given besides the api itself. */
export interface AdminRouteDeps {
  config: Config;
  logger: Logger;
  /** The same dependencies the engine's services get (i18n for notifications, the clock). */
  services: ServiceDeps;
  /** The WhatsApp Web connection of this process, when it runs one (its QR and state). */
  whatsappWeb?: Pick<WhatsAppWebAdapter, 'status'>;
}

/** A file of admin routes: registers them on the api. List it in ADMIN_ROUTE_MODULES. */
export type AdminRouteModule = (api: AdminApi, deps: AdminRouteDeps) => void;

/** `?page=&pageSize=` for every list: page ≥ 1 (1), pageSize 1–100 (20). Extend it with filters. */
export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** The schema of one page of `item`s, as `paginated` builds it. */
export const paginatedSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });

/** One page of a list, with the total so clients can count pages. */
export const paginated = <T>(items: T[], total: number, page: number, pageSize: number) => ({
  items,
  page,
  pageSize,
  total,
});

/** Prisma's `skip`/`take` for a parsed page. */
export const pageWindow = (query: { page: number; pageSize: number }) => ({
  skip: (query.page - 1) * query.pageSize,
  take: query.pageSize,
});

/** `/cooperatives/:id/approve` → `/cooperatives/{id}/approve`. */
export const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Parses one part of the request; a failure names the part (`body.phone`) in the 400. */
function parsePart(where: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [where, ...issue.path] })));
}

/** Builds the admin API: the registry, its express router (mount at /api) and its OpenAPI document. */
export function createAdminApi(deps: AdminApiDeps) {
  const clock = deps.clock ?? (() => new Date());
  const routes: RegisteredRoute[] = [];
  const authenticated = express.Router();
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApi(routes));
  });
  router.use(
    createAdminAuth({ db: deps.prisma, adminToken: deps.adminToken, clock }),
    express.json({ limit: '100kb' }),
    authenticated,
  );
  router.use((_req, _res, next) => next(notFound('Route')));
  router.use(adminErrorHandler(deps.logger));

  async function handle(
    route: RouteDefinition<z.ZodObject, z.ZodObject, z.ZodType>,
    req: Request,
    res: Response,
  ) {
    const result = await route.handler({
      params: parsePart('params', route.params, req.params),
      query: parsePart('query', route.query, req.query),
      body: parsePart('body', route.body, req.body),
      actor: res.locals.actor as AuditActor,
      db: deps.prisma,
      now: clock(),
      header: (name: string) => req.get(name),
    } as RouteContext<never, never, never>);
    if (result instanceof FileReply) {
      res.status(200).type(result.contentType).attachment(result.filename).send(result.body);
      return;
    }
    const status = result instanceof Reply ? result.status : defaultStatus(route);
    const body = result instanceof Reply ? result.body : result;
    const schema = route.responses[status];
    if (!schema) throw new Error(`${route.method} ${route.path} declares no ${status} response`);
    const checked = schema.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
    if (!checked.success) {
      throw new Error(`${route.method} ${route.path}: response does not match its schema`, {
        cause: checked.error,
      });
    }
    res.status(status).json(checked.data);
  }

  return {
    /** Mount at /api: openapi.json is public; every other route needs a bearer token. */
    router: router as Router,
    /** Every registered route, in registration order. */
    routes: routes as readonly RegisteredRoute[],

    /** Registers and mounts one route; a second route with the same method and path is an error. */
    route<
      P extends z.ZodObject | undefined = undefined,
      Q extends z.ZodObject | undefined = undefined,
      B extends z.ZodType | undefined = undefined,
    >(definition: RouteDefinition<P, Q, B>): void {
      if (routes.some((r) => r.method === definition.method && r.path === definition.path)) {
        throw new Error(
          `Admin route ${definition.method.toUpperCase()} ${definition.path} is registered twice`,
        );
      }
      const { handler: _handler, ...described } = definition;
      routes.push(described as RegisteredRoute);
      const typed = definition as unknown as RouteDefinition<z.ZodObject, z.ZodObject, z.ZodType>;
      authenticated[definition.method](definition.path, (req, res) => handle(typed, req, res));
    },

    /** The OpenAPI 3.1 document of every registered route. */
    openapi: () => buildOpenApi(routes),
  };
}

/** The admin API: register routes with `route`, mount `router` at /api. */
export type AdminApi = ReturnType<typeof createAdminApi>;

const defaultStatus = (route: { responses: RegisteredRoute['responses'] }) =>
  Math.min(...Object.keys(route.responses).map(Number)) as SuccessStatus;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, without the `$schema` line. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io });
  return rest;
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const json = (schema: unknown) => ({ 'application/json': { schema } });

const ERROR_RESPONSES = Object.fromEntries(
  [
    [400, 'Invalid input (`validation_failed` names the field)'],
    [401, 'Missing, wrong or revoked bearer token'],
    [404, 'Not found'],
    [409, 'Conflicts with the current state'],
  ].map(([status, description]) => [
    status,
    { description, content: json({ $ref: '#/components/schemas/Error' }) },
  ]),
);

function operation(route: RegisteredRoute) {
  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  const responses = Object.entries(route.responses).map(([status, schema]) => [
    status,
    { description: 'Success', content: json(jsonSchema(schema as z.ZodType, 'output')) },
  ]);
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: [{ bearer: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: json(jsonSchema(route.body, 'input')) } }
      : {}),
    responses: { ...Object.fromEntries(responses), ...ERROR_RESPONSES },
  };
}

/** The whole document: every registered route plus the (unauthenticated) document itself. */
function buildOpenApi(routes: readonly RegisteredRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {
    '/openapi.json': {
      get: {
        summary: 'This document',
        tags: ['meta'],
        security: [],
        responses: { 200: { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } },
      },
    },
  };
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Taawun admin API',
      version: '1',
      description: 'Send `Authorization: Bearer <token>`. Errors are `{ error: { code, message } }`.',
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
