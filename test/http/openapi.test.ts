import { beforeAll, describe, expect, it } from 'vitest';
import { toOpenApiPath } from '../../src/http/admin/routes.js';
import { useAdminApp } from '../support/admin-api.js';

type Operation = {
  summary: string;
  tags: string[];
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
};

/** Every `$ref` in the document, to check that each points at something. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' ? [String(v)] : refs(v)));
}

describe('GET /api/openapi.json', () => {
  const { api, app } = useAdminApp();
  let doc: Document;
  beforeAll(async () => {
    const res = await api().get('/api/openapi.json'); // no token
    expect(res.status).toBe(200);
    doc = res.body;
  });

  it('is served without a token and is an OpenAPI 3.1 document with a bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Taawun admin API', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(doc).toEqual(JSON.parse(JSON.stringify(app().taawun.adminApi.openapi())));
  });

  it('describes every registered route, and nothing else but itself', () => {
    const routes = app().taawun.adminApi.routes;
    expect(routes.length).toBeGreaterThan(0);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [...routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`), 'get /openapi.json'].sort(),
    );
  });

  it('gives every route bearer security, its parameters, success and error responses', () => {
    for (const route of app().taawun.adminApi.routes) {
      const path = toOpenApiPath(route.path);
      const op = doc.paths[path]?.[route.method] as Operation;
      const where = `${route.method} ${path}`;
      expect(op.security, where).toEqual([{ bearer: [] }]);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags.length, where).toBeGreaterThan(0);
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters?.find((p) => p.in === 'path' && p.name === name)?.required, where).toBe(true);
      }
      expect(Boolean(op.requestBody), where).toBe(Boolean(route.body));
      for (const status of Object.keys(route.responses)) {
        expect(op.responses[status]?.content?.['application/json']?.schema, where).toBeTypeOf('object');
      }
      for (const status of ['400', '401', '404', '409']) {
        expect(op.responses[status]?.content?.['application/json']?.schema, where).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
    expect(doc.paths['/openapi.json']?.get?.security).toEqual([]);
  });

  it('documents query parameters with their defaults and the request bodies', () => {
    const list = doc.paths['/coordinators']?.get as Operation;
    expect(list.parameters).toContainEqual({
      name: 'pageSize',
      in: 'query',
      required: false,
      schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    });
    const grant = doc.paths['/coordinators']?.post as Operation;
    expect(grant.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { telegramUserId: { type: 'string' }, phone: { type: 'string' } },
    });
    expect(Object.keys(grant.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('has no dangling $ref', () => {
    for (const ref of refs(doc)) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
