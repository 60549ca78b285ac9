import type { Prisma } from '../generated/sqlite/client.js';
import type { DbClient, PageWindow } from './db.js';

/**
 * Who made a decision and through which channel: a contact (a coordinator in the bot), or a label
 * such as `admin-token:<name>`, `config` or `cli` when no contact acted.
 */
export interface AuditActor {
  contactId?: string;
  label: string;
  channel: string;
}

/** One decision to record: what was done to which target, with optional details (no message text). */
export interface AuditEntry {
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId?: string;
  data?: Prisma.InputJsonValue;
  at?: Date;
}

/** Which entries to list; every field narrows the result. */
export interface AuditFilter {
  targetType?: string;
  targetId?: string;
  action?: string;
}

/** The audit log: every grant, approval and revocation is written here (who, what, when, from where). */
export function createAuditService(db: DbClient) {
  return {
    record: (entry: AuditEntry) =>
      db.auditLog.create({
        data: {
          actorId: entry.actor.contactId,
          actorLabel: entry.actor.label,
          channel: entry.actor.channel,
          action: entry.action,
          targetType: entry.targetType,
          targetId: entry.targetId,
          data: entry.data,
          at: entry.at,
        },
      }),

    /** Newest first, one page at a time. */
    async list(filter: AuditFilter, window: PageWindow = {}) {
      const where = {
        targetType: filter.targetType,
        targetId: filter.targetId,
        action: filter.action,
      };
      const items = await db.auditLog.findMany({
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        skip: window.skip,
        take: window.take,
      });
      return { items, total: await db.auditLog.count({ where }) };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
