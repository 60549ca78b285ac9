import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken, revokeAdminToken } from '../../src/http/admin/tokens.js';
import { ADMIN_TOKEN as ENV_TOKEN, useAdminApp } from '../support/admin-api.js';
import { useTestApp } from '../support/app.js';

const CLI = { label: 'cli', channel: 'cli' };
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'A valid bearer token is required' } };

describe('admin API authentication', () => {
  const { api, prisma } = useAdminApp();
  let named: string;
  let revoked: string;

  beforeAll(async () => {
    named = await prisma().$transaction((tx) => createAdminToken(tx, 'ops', CLI));
    revoked = await prisma().$transaction((tx) => createAdminToken(tx, 'old', CLI));
    await prisma().$transaction((tx) => revokeAdminToken(tx, 'old', CLI));
  });

  const list = (authorization?: string) => {
    const req = api().get('/api/coordinators');
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  it.each([
    ['no Authorization header', () => undefined],
    ['another scheme', () => `Basic ${ENV_TOKEN}`],
    ['an empty bearer', () => 'Bearer '],
    ['a wrong token', () => 'Bearer not-the-token-not-the-token'],
    ['the env token with one character more', () => `Bearer ${ENV_TOKEN}x`],
    ['a revoked named token', () => `Bearer ${revoked}`],
  ])('refuses %s with a 401 that does not say what was wrong', async (_case, authorization) => {
    const res = await list(authorization());
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts ADMIN_API_TOKEN, and audits its decisions as admin-token:env through the api', async () => {
    expect((await list(`Bearer ${ENV_TOKEN}`)).status).toBe(200);
    const grant = await api()
      .post('/api/coordinators')
      .set('Authorization', `bearer ${ENV_TOKEN}`)
      .send({ telegramUserId: '7001' });
    expect(grant.status).toBe(201);
    const entry = await prisma().auditLog.findFirstOrThrow({
      where: { action: 'coordinator.grant', targetId: grant.body.id },
    });
    expect(entry).toMatchObject({ actorLabel: 'admin-token:env', channel: 'api', actorId: null });
  });

  it('accepts a named token, marks it used and audits as admin-token:<name>', async () => {
    expect((await prisma().adminToken.findUniqueOrThrow({ where: { name: 'ops' } })).lastUsedAt).toBeNull();
    expect((await list(`Bearer ${named}`)).status).toBe(200);
    const row = await prisma().adminToken.findUniqueOrThrow({ where: { name: 'ops' } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);

    const grant = await api()
      .post('/api/coordinators')
      .set('Authorization', `Bearer ${named}`)
      .send({ telegramUserId: '7002' });
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { targetId: grant.body.id } });
    expect(entry.actorLabel).toBe('admin-token:ops');
  });

  it('answers unknown /api paths with 401 before and 404 after authentication', async () => {
    expect((await api().get('/api/nothing-here')).status).toBe(401);
    const res = await api().get('/api/nothing-here').set('Authorization', `Bearer ${named}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('admin API with no token configured and none created', () => {
  const app = useTestApp();

  it.each(['Bearer ', 'Bearer undefined', 'Bearer null'])('is never open: %j gets 401', async (header) => {
    const res = await request(app().taawun.app).get('/api/coordinators').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
    expect((await request(app().taawun.app).get('/api/audit')).status).toBe(401);
  });
});
