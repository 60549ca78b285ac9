import type { Cooperative, CooperativeStatus, Prisma } from '../generated/sqlite/client.js';
import { normalizeName } from '../i18n/normalize.js';
import { type AuditActor, createAuditService } from './audit.js';
import { approvedNotice, notice, type ReviewReason, reviewPost } from './cooperative-messages.js';
import {
  type CooperativeDraft,
  type CooperativeField,
  cooperativeDraftSchema,
  generateJoinCode,
  REJECTION_REASON_MAX,
  REVIEWED_FIELDS,
} from './cooperative-rules.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';
import { contactActor, createMembershipService, holdsPlace } from './memberships.js';
import { createNotifier } from './notify.js';

/** The outcome of a coordinator's decision: `not_pending` when it was already decided (a double press). */
export type ReviewOutcome =
  | { ok: true; cooperative: Cooperative }
  | { ok: false; error: 'not_found' | 'not_pending' | 'invalid_reason'; cooperative?: Cooperative };

/** A registration: the new cooperative, or refused because she belongs to (or asked to join) another. */
export type RegisterOutcome = { ok: true; cooperative: Cooperative } | { ok: false; error: 'already_member' };

/** A lead's edit: saved (and whether it went back to review), or why not. */
export type UpdateOutcome =
  | { ok: true; cooperative: Cooperative; review: boolean }
  | { ok: false; error: 'not_lead' | 'suspended' };

/** Filters of the coordinators' list; every one narrows it. */
export interface CooperativeFilter {
  status?: CooperativeStatus;
  governorate?: string;
  /** Part of the name, in any spelling variant. */
  q?: string;
}

const activeMembers = {
  _count: { select: { memberships: { where: { status: 'ACTIVE' as const } } } },
} satisfies Prisma.CooperativeInclude;

/**
 * The forms a name search tries: as typed (normalised), and with a word-final ه or ة read as the
 * other, since people write either and names are stored with the ة they were given.
 */
function nameVariants(query: string): string[] {
  const typed = normalizeName(query);
  const variants = [typed, typed.replace(/ه(?=\s|$)/g, 'ة'), typed.replace(/ة/g, 'ه')];
  return [...new Set(variants)];
}

const nameMatches = (query: string): Prisma.CooperativeWhereInput => ({
  OR: nameVariants(query).map((v) => ({ normalizedName: { contains: v } })),
});

/**
 * Cooperatives: registration (pending, its registrant the lead), the coordinators' review (approve
 * with a join code, or reject with a reason: the lead is told either way), the lead's edits, lists.
 * Approve and reject change only a pending cooperative, so a double press or a forged id does nothing.
 */
export function createCooperativeService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);
  const memberships = createMembershipService(db, deps);

  /** Another cooperative (not rejected) with the same normalised name in the same governorate. */
  const findDuplicate = (name: string, governorate: string, exceptId?: string) =>
    db.cooperative.findFirst({
      where: {
        normalizedName: normalizeName(name),
        governorate,
        status: { not: 'REJECTED' },
        ...(exceptId ? { id: { not: exceptId } } : {}),
      },
      orderBy: { createdAt: 'asc' },
    });

  async function postForReview(cooperative: Cooperative, reason: ReviewReason) {
    const lead = await memberships.leadOf(cooperative.id);
    const registrant = lead
      ? ((await db.contact.findUnique({ where: { id: lead } }))?.displayName ?? null)
      : null;
    const duplicateOf = await findDuplicate(cooperative.name, cooperative.governorate, cooperative.id);
    await notify.toCoordinators(
      { type: 'cooperative', id: cooperative.id },
      reviewPost(cooperative, { reason, registrant, duplicateOf }),
      { kind: 'cooperative-review' },
    );
  }

  async function unusedJoinCode(): Promise<string> {
    for (;;) {
      const code = generateJoinCode();
      if (!(await db.cooperative.findUnique({ where: { joinCode: code } }))) return code;
    }
  }

  /** Moves a pending cooperative to its decision; false when it was not pending any more. */
  async function decide(id: string, data: Prisma.CooperativeUpdateManyMutationInput) {
    const { count } = await db.cooperative.updateMany({ where: { id, status: 'PENDING' }, data });
    return count > 0;
  }

  async function pendingOrOutcome(id: string): Promise<ReviewOutcome | Cooperative> {
    const cooperative = await db.cooperative.findUnique({ where: { id } });
    if (!cooperative) return { ok: false, error: 'not_found' };
    if (cooperative.status !== 'PENDING') return { ok: false, error: 'not_pending', cooperative };
    return cooperative;
  }

  async function tellLead(cooperativeId: string, build: Parameters<typeof notify.toContact>[1]) {
    const lead = await memberships.leadOf(cooperativeId);
    if (lead) await notify.toContact(lead, build, { kind: 'cooperative-status' });
  }

  return {
    findDuplicate,

    /**
     * Registers her cooperative as PENDING with her as its active lead, and posts it to the
     * coordinators. Refused while she is a member of (or has asked to join) another cooperative.
     */
    async register(contactId: string, draft: CooperativeDraft, channel: string): Promise<RegisterOutcome> {
      const fields = cooperativeDraftSchema.parse(draft);
      const membership = await memberships.current(contactId);
      if (membership && holdsPlace(membership)) return { ok: false, error: 'already_member' };
      const cooperative = await db.cooperative.create({
        data: { ...fields, normalizedName: normalizeName(fields.name), createdById: contactId },
      });
      await db.membership.upsert({
        where: { contactId },
        create: { contactId, cooperativeId: cooperative.id, role: 'LEAD', status: 'ACTIVE' },
        update: { cooperativeId: cooperative.id, role: 'LEAD', status: 'ACTIVE' },
      });
      await audit.record({
        actor: contactActor(contactId, channel),
        action: 'cooperative.register',
        targetType: 'cooperative',
        targetId: cooperative.id,
      });
      await postForReview(cooperative, 'new');
      return { ok: true, cooperative };
    },

    /** Approves a pending cooperative: a join code (kept if it had one), the audit log, the lead told. */
    async approve(id: string, actor: AuditActor, now = deps.clock()): Promise<ReviewOutcome> {
      const pending = await pendingOrOutcome(id);
      if ('ok' in pending) return pending;
      const joinCode = pending.joinCode ?? (await unusedJoinCode());
      if (!(await decide(id, { status: 'APPROVED', approvedAt: now, joinCode, rejectionReason: null }))) {
        return { ok: false, error: 'not_pending' };
      }
      const cooperative = await db.cooperative.findUniqueOrThrow({ where: { id } });
      await audit.record({
        actor,
        action: 'cooperative.approve',
        targetType: 'cooperative',
        targetId: id,
        at: now,
      });
      await tellLead(id, approvedNotice(cooperative));
      return { ok: true, cooperative };
    },

    /** Rejects a pending cooperative with a reason (1–500 characters) that the lead is told. */
    async reject(id: string, reason: string, actor: AuditActor, now = deps.clock()): Promise<ReviewOutcome> {
      const text = reason.trim();
      if (text === '' || text.length > REJECTION_REASON_MAX) return { ok: false, error: 'invalid_reason' };
      const pending = await pendingOrOutcome(id);
      if ('ok' in pending) return pending;
      if (!(await decide(id, { status: 'REJECTED', rejectionReason: text }))) {
        return { ok: false, error: 'not_pending' };
      }
      const cooperative = await db.cooperative.findUniqueOrThrow({ where: { id } });
      await audit.record({
        actor,
        action: 'cooperative.reject',
        targetType: 'cooperative',
        targetId: id,
        data: { reason: text },
        at: now,
      });
      await tellLead(id, notice('cooperatives:notify.rejected', { name: cooperative.name, reason: text }));
      return { ok: true, cooperative };
    },

    /**
     * The lead changes fields of her cooperative. A new name or governorate (or any change to a
     * rejected one) sends it back to PENDING and to the coordinators; a suspended one is not editable.
     */
    async update(
      contactId: string,
      changes: Partial<CooperativeDraft>,
      channel: string,
    ): Promise<UpdateOutcome> {
      const fields = cooperativeDraftSchema.partial().parse(changes);
      const membership = await memberships.current(contactId);
      if (membership?.role !== 'LEAD' || membership.status !== 'ACTIVE') {
        return { ok: false, error: 'not_lead' };
      }
      const before = membership.cooperative;
      if (before.status === 'SUSPENDED') return { ok: false, error: 'suspended' };
      const changed = Object.keys(fields) as CooperativeField[];
      const review = before.status === 'REJECTED' || changed.some((f) => REVIEWED_FIELDS.includes(f));
      const cooperative = await db.cooperative.update({
        where: { id: before.id },
        data: {
          ...fields,
          ...(fields.name ? { normalizedName: normalizeName(fields.name) } : {}),
          ...(review ? { status: 'PENDING', rejectionReason: null } : {}),
        },
      });
      await audit.record({
        actor: contactActor(contactId, channel),
        action: 'cooperative.update',
        targetType: 'cooperative',
        targetId: before.id,
        data: { fields: changed, review },
      });
      if (review) await postForReview(cooperative, 'edited');
      return { ok: true, cooperative, review };
    },

    /** One cooperative with its number of active members, or null. */
    get: (id: string) => db.cooperative.findUnique({ where: { id }, include: activeMembers }),

    /** The coordinators' list, newest first, with each one's number of active members. */
    async list(filter: CooperativeFilter, window: PageWindow = {}) {
      const where: Prisma.CooperativeWhereInput = {
        status: filter.status,
        governorate: filter.governorate,
        ...(filter.q ? nameMatches(filter.q) : {}),
      };
      const items = await db.cooperative.findMany({
        where,
        include: activeMembers,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: window.skip,
        take: window.take,
      });
      return { items, total: await db.cooperative.count({ where }) };
    },

    /** Approved cooperatives whose name contains `query`, by name; at most `limit`. */
    searchApproved: (query: string, limit: number) =>
      db.cooperative.findMany({
        where: { status: 'APPROVED', ...nameMatches(query) },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: limit,
      }),

    /** Active members' names for the lead (never phones), the lead first; erased members are left out. */
    async memberNames(cooperativeId: string): Promise<(string | null)[]> {
      const rows = await db.membership.findMany({
        where: { cooperativeId, status: 'ACTIVE', contact: { erasedAt: null } },
        include: { contact: { select: { displayName: true } } },
        orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
      });
      return rows.map((row) => row.contact.displayName);
    },
  };
}

export type CooperativeService = ReturnType<typeof createCooperativeService>;
