import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AuditActor } from '../../services/audit.js';
import type { DbClient } from '../../services/db.js';
import { unauthorized } from './errors.js';
import { authenticateAdminToken } from './tokens.js';

const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer-token authentication for the admin API. Accepts `ADMIN_API_TOKEN` (compared as sha256
 * digests in constant time) or a live named token, and sets `res.locals.actor` for the audit log.
 * Anything else is a 401 with the same message, whatever was wrong; with no token configured and
 * none created, every request is refused: the API is never open.
 */
export function createAdminAuth(deps: {
  db: DbClient;
  adminToken?: string;
  clock: () => Date;
}): RequestHandler {
  const envDigest = deps.adminToken ? sha256(deps.adminToken) : undefined;

  async function identify(token: string): Promise<AuditActor | undefined> {
    if (envDigest && timingSafeEqual(sha256(token), envDigest)) {
      return { label: 'admin-token:env', channel: 'api' };
    }
    const name = await authenticateAdminToken(deps.db, token, deps.clock());
    return name ? { label: `admin-token:${name}`, channel: 'api' } : undefined;
  }

  return async (req, res, next) => {
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    const actor = token ? await identify(token) : undefined;
    if (!actor) {
      res.set('WWW-Authenticate', 'Bearer');
      throw unauthorized();
    }
    res.locals.actor = actor;
    next();
  };
}
