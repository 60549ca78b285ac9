import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conflict } from '../../src/http/admin/errors.js';
import { type AdminApi, createAdminApi, reply } from '../../src/http/admin/routes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TOKEN = 'routes-test-token-0123456789abcdef';

/** The registry itself, on an express app of its own: validation, statuses, response checks, errors. */
describe('admin route registry', () => {
  let database: TestDatabase;
  let api: AdminApi;
  const logged: Record<string, unknown>[] = [];
  const app = express();

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    api = createAdminApi({ prisma: database.db.prisma, logger, adminToken: TOKEN });
    app.use('/api', api.router);
    const item = z.object({ id: z.string(), at: z.iso.datetime() });
    api.route({
      method: 'post',
      path: '/things/:id',
      summary: 'Echo a thing',
      tags: ['test'],
      params: z.object({ id: z.string().regex(/^t\d+$/) }),
      query: z.object({ created: z.enum(['yes', 'no']).default('no') }),
      body: z.object({ size: z.number().int().max(10) }),
      responses: { 200: item, 201: item },
      async handler({ params, query, now }) {
        const thing = { id: params.id, at: now, secret: 'not declared' };
        return query.created === 'yes' ? reply(201, thing) : thing;
      },
    });
    api.route({
      method: 'get',
      path: '/broken',
      summary: 'Answers what it does not declare',
      tags: ['test'],
      responses: { 200: item },
      handler: async () => ({ id: 1 }),
    });
    api.route({
      method: 'get',
      path: '/failures/:kind',
      summary: 'Throws',
      tags: ['test'],
      params: z.object({ kind: z.string() }),
      responses: { 200: item },
      async handler({ params, db }) {
        if (params.kind === 'conflict') throw conflict('Already approved', 'already_approved');
        if (params.kind === 'missing') return db.contact.findUniqueOrThrow({ where: { id: 'nobody' } });
        throw new Error('database password is hunter2');
      },
    });
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const post = (path: string, body: unknown) =>
    request(app)
      .post(`/api${path}`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(body as object);
  const get = (path: string) => request(app).get(`/api${path}`).set('Authorization', `Bearer ${TOKEN}`);

  it('answers with the lowest declared status, or the one reply() names, sending only declared fields', async () => {
    const ok = await post('/things/t1', { size: 3 });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: 't1', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect((await post('/things/t1?created=yes', { size: 3 })).status).toBe(201);
  });

  it.each([
    ['/things/x1', { size: 3 }, 'params.id: '],
    ['/things/t1?created=maybe', { size: 3 }, 'query.created: '],
    ['/things/t1', { size: 11 }, 'body.size: '],
    ['/things/t1', [], 'body: '],
  ])('names the part and field that failed validation: %s %o', async (path, body, prefix) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message.startsWith(prefix), res.body.error.message).toBe(true);
  });

  it('refuses bodies over 100 kB', async () => {
    const res = await post('/things/t1', { size: 1, padding: 'x'.repeat(110_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('maps ApiError and Prisma P2025 to their statuses', async () => {
    expect((await get('/failures/conflict')).body).toEqual({
      error: { code: 'already_approved', message: 'Already approved' },
    });
    const missing = await get('/failures/missing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('answers our own failures with 500 internal and a reference, logging the details under it', async () => {
    for (const path of ['/failures/boom', '/broken']) {
      logged.length = 0;
      const res = await get(path);
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal');
      expect(res.body.error.message).not.toMatch(/hunter2|schema/);
      const ref = /ref ([\w-]+)/.exec(res.body.error.message)?.[1];
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ correlationId: ref, path: `/api${path}` });
    }
  });

  it('refuses a route registered twice', () => {
    expect(() =>
      api.route({
        method: 'get',
        path: '/broken',
        summary: 'x',
        tags: [],
        responses: {},
        handler: async () => 1,
      }),
    ).toThrow(/registered twice/);
  });
});
