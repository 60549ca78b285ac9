import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/admin/errors.js';
import {
  authenticateAdminToken,
  createAdminToken,
  listAdminTokens,
  revokeAdminToken,
} from '../../src/http/admin/tokens.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const CLI = { label: 'cli', channel: 'cli' };

describe('named admin tokens', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });
  const prisma = () => database.db.prisma;

  it('creates a 32-byte base64url token, stores only its sha256 and audits the creation', async () => {
    const token = await createAdminToken(prisma(), 'reports', CLI);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await prisma().adminToken.findUniqueOrThrow({ where: { name: 'reports' } });
    expect(row.hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { action: 'admin-token.create' } });
    expect(entry).toMatchObject({
      actorLabel: 'cli',
      channel: 'cli',
      targetId: row.id,
      data: { name: 'reports' },
    });
  });

  it('refuses a taken or malformed name', async () => {
    await createAdminToken(prisma(), 'taken', CLI);
    await expect(createAdminToken(prisma(), 'taken', CLI)).rejects.toMatchObject({ status: 409 });
    await expect(createAdminToken(prisma(), 'has space', CLI)).rejects.toBeInstanceOf(ApiError);
    await expect(createAdminToken(prisma(), '', CLI)).rejects.toMatchObject({ status: 400 });
  });

  it('authenticates a live token, marking it used at most once a minute', async () => {
    const token = await createAdminToken(prisma(), 'bot', CLI);
    const t0 = new Date('2030-01-01T10:00:00Z');
    expect(await authenticateAdminToken(prisma(), token, t0)).toBe('bot');
    expect(await authenticateAdminToken(prisma(), `${token}x`, t0)).toBeUndefined();
    await authenticateAdminToken(prisma(), token, new Date(t0.getTime() + 30_000));
    const lastUsed = async () =>
      (await prisma().adminToken.findUniqueOrThrow({ where: { name: 'bot' } })).lastUsedAt;
    expect(await lastUsed()).toEqual(t0);
    const t2 = new Date(t0.getTime() + 61_000);
    await authenticateAdminToken(prisma(), token, t2);
    expect(await lastUsed()).toEqual(t2);
  });

  it('revokes by name, once; a revoked token no longer authenticates; unknown names are 404', async () => {
    const token = await createAdminToken(prisma(), 'temp', CLI);
    expect(await revokeAdminToken(prisma(), 'temp', CLI)).toBe(true);
    expect(await revokeAdminToken(prisma(), 'temp', CLI)).toBe(false);
    expect(await authenticateAdminToken(prisma(), token, new Date())).toBeUndefined();
    expect(await prisma().auditLog.count({ where: { action: 'admin-token.revoke' } })).toBe(1);
    await expect(revokeAdminToken(prisma(), 'nobody', CLI)).rejects.toMatchObject({ status: 404 });
  });

  it('lists tokens without their hashes', async () => {
    const tokens = await listAdminTokens(prisma());
    expect(tokens.map((t) => t.name)).toEqual(expect.arrayContaining(['reports', 'taken', 'bot', 'temp']));
    for (const t of tokens)
      expect(Object.keys(t).sort()).toEqual(['createdAt', 'lastUsedAt', 'name', 'revokedAt']);
  });
});

// Each run starts tsx and Prisma in a new process: seconds each on a busy machine.
describe('npm run admin:token', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const run = (...args: string[]) =>
    promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['scripts/admin-token.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: database.databaseUrl,
        DATA_DIR: database.dataDir,
        LOG_LEVEL: 'silent',
      },
    });

  it('creates (printing the token once), lists and revokes a token in DATABASE_URL', async () => {
    const created = await run('create', 'dashboard');
    const token = created.stdout.trim().split('\n').at(-1) ?? '';
    expect(await authenticateAdminToken(database.db.prisma, token, new Date())).toBe('dashboard');
    expect((await run('revoke', 'dashboard')).stdout).toContain('revoked');
    expect((await run('list')).stdout).toMatch(/^dashboard\trevoked /m);
    const actions = await database.db.prisma.auditLog.findMany({ where: { actorLabel: 'cli' } });
    expect(actions.map((a) => a.action).sort()).toEqual(['admin-token.create', 'admin-token.revoke']);
  });

  it('prints its usage and fails without a command or name', async () => {
    await expect(run('create')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
    await expect(run('revoke', 'nobody')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not found'),
    });
  });
});
