import { createHash, randomBytes } from 'node:crypto';
import { type AuditActor, createAuditService } from '../../services/audit.js';
import type { DbClient } from '../../services/db.js';
import { badRequest, conflict, notFound } from './errors.js';

/**
 * Named admin API tokens (`npm run admin:token`): the token is shown once at creation and only its
 * sha256 is stored, so a copy of the database gives no access.
 */

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** lastUsedAt is written at most this often per token, so busy clients do not turn reads into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The stored form of a token: sha256, hex. */
export const hashAdminToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a named token and returns it in clear: the only time it exists outside the caller's hands. */
export async function createAdminToken(
  db: DbClient,
  name: string,
  actor: AuditActor,
  now = new Date(),
): Promise<string> {
  if (!TOKEN_NAME.test(name)) {
    throw badRequest('A token name is 1–64 characters of A–Z, a–z, 0–9, ".", "_" or "-"');
  }
  if (await db.adminToken.findUnique({ where: { name } })) {
    throw conflict(`A token named "${name}" already exists (revoked names stay taken)`);
  }
  const token = randomBytes(32).toString('base64url');
  const row = await db.adminToken.create({ data: { name, hash: hashAdminToken(token), createdAt: now } });
  await createAuditService(db).record({
    actor,
    action: 'admin-token.create',
    targetType: 'admin-token',
    targetId: row.id,
    data: { name },
    at: now,
  });
  return token;
}

/** Revokes a token by name; false when it already was. Unknown names throw a 404 ApiError. */
export async function revokeAdminToken(
  db: DbClient,
  name: string,
  actor: AuditActor,
  now = new Date(),
): Promise<boolean> {
  const row = await db.adminToken.findUnique({ where: { name } });
  if (!row) throw notFound(`Token "${name}"`);
  if (row.revokedAt) return false;
  await db.adminToken.update({ where: { id: row.id }, data: { revokedAt: now } });
  await createAuditService(db).record({
    actor,
    action: 'admin-token.revoke',
    targetType: 'admin-token',
    targetId: row.id,
    data: { name },
    at: now,
  });
  return true;
}

/** Every token without its hash, oldest first. */
export const listAdminTokens = (db: DbClient) =>
  db.adminToken.findMany({
    select: { name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: 'asc' },
  });

/**
 * The name of the live token a bearer presents, or undefined (unknown or revoked). Looked up by its
 * sha256, so the comparison never touches the token itself; marks the token used.
 */
export async function authenticateAdminToken(
  db: DbClient,
  token: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db.adminToken.findUnique({ where: { hash: hashAdminToken(token) } });
  if (!row || row.revokedAt) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.adminToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return row.name;
}
