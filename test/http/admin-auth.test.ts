import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken, revokeAdminToken } from '../../src/http/admin/tokens.js';
import { startTestApp } from '../support/app.js';

const ENV_TOKEN = 'env-token-'.padEnd(32, 'e');
const CLI = { label: 'cli', channel: 'cli' };
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'A valid bearer token is required' } };

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('admin API authentication', () => {
  let app: TestApp;
  let named: string;
  let revoked: string;

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_API_TOKEN: ENV_TOKEN });
    const prisma = app.taawun.database.prisma;
    named = await prisma.$transaction((tx) => createAdminToken(tx, 'ops', CLI));
    revoked = await prisma.$transaction((tx) => createAdminToken(tx, 'old', CLI));
    await prisma.$transaction((tx) => revokeAdminToken(tx, 'old', CLI));
  });
  afterAll(async () => {
    await app.cleanup();
  });

  const list = (authorization?: string) => {
    const req = request(app.taawun.app).get('/api/coordinators');
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
    const grant = await request(app.taawun.app)
      .post('/api/coordinators')
      .set('Authorization', `bearer ${ENV_TOKEN}`)
      .send({ telegramUserId: '7001' });
    expect(grant.status).toBe(201);
    const entry = await app.taawun.database.prisma.auditLog.findFirstOrThrow({
      where: { action: 'coordinator.grant', targetId: grant.body.id },
    });
    expect(entry).toMatchObject({ actorLabel: 'admin-token:env', channel: 'api', actorId: null });
  });

  it('accepts a named token, marks it used and audits as admin-token:<name>', async () => {
    const prisma = app.taawun.database.prisma;
    expect((await prisma.adminToken.findUniqueOrThrow({ where: { name: 'ops' } })).lastUsedAt).toBeNull();
    expect((await list(`Bearer ${named}`)).status).toBe(200);
    const row = await prisma.adminToken.findUniqueOrThrow({ where: { name: 'ops' } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);

    const grant = await request(app.taawun.app)
      .post('/api/coordinators')
      .set('Authorization', `Bearer ${named}`)
      .send({ telegramUserId: '7002' });
    const entry = await prisma.auditLog.findFirstOrThrow({ where: { targetId: grant.body.id } });
    expect(entry.actorLabel).toBe('admin-token:ops');
  });

  it('answers unknown /api paths with 401 before and 404 after authentication', async () => {
    expect((await request(app.taawun.app).get('/api/nothing-here')).status).toBe(401);
    const res = await request(app.taawun.app)
      .get('/api/nothing-here')
      .set('Authorization', `Bearer ${named}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('admin API with no token configured and none created', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.cleanup();
  });

  it.each(['Bearer ', 'Bearer undefined', 'Bearer null'])('is never open: %j gets 401', async (header) => {
    const res = await request(app.taawun.app).get('/api/coordinators').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
    expect((await request(app.taawun.app).get('/api/audit')).status).toBe(401);
  });
});
