import type { Cooperative, Membership } from '../generated/sqlite/client.js';
import { type AuditActor, createAuditService } from './audit.js';
import { notice } from './cooperative-messages.js';
import { readJoinCode } from './cooperative-rules.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createNotifier } from './notify.js';

/** A contact's membership row with its cooperative. */
export type MembershipWithCooperative = Membership & { cooperative: Cooperative };

/**
 * One person belongs to one cooperative at a time. A membership holds her place (she cannot join or
 * register another) unless it is a declined request or belongs to a rejected cooperative: those rows
 * are reused for her next request or registration.
 */
export function holdsPlace(membership: MembershipWithCooperative): boolean {
  if (membership.status === 'PENDING') return true;
  return membership.status === 'ACTIVE' && membership.cooperative.status !== 'REJECTED';
}

/** How a contact is recorded in the audit log when she acts in the bot. */
export const contactActor = (contactId: string, channel: string): AuditActor => ({
  contactId,
  label: 'contact',
  channel,
});

/** Why joining did not happen; every one of them has a polite message in `cooperatives:join.errors`. */
export type JoinError =
  | 'not_a_code'
  | 'unknown_code'
  | 'not_open'
  | 'already_here'
  | 'already_requested'
  | 'request_elsewhere'
  | 'member_elsewhere';

export type JoinOutcome = { ok: true; cooperative: Cooperative } | { ok: false; error: JoinError };

/** A lead's decision on a request: applied, or why not (a forged or already answered request changes nothing). */
export type DecideOutcome =
  | { ok: true }
  | { ok: false; error: 'not_lead' | 'not_found' | 'already_handled' | 'not_open' };

/** Leaving: done (with the row as it was), or why not. */
export type LeaveOutcome =
  | { ok: true; membership: MembershipWithCooperative }
  | { ok: false; error: 'not_member' | 'lead_with_members' };

/**
 * Memberships: joining with the lead's code, asking to join, the lead's answer, leaving. Conflicts
 * (a member of another cooperative, a suspended cooperative's code) are posted to the coordinators.
 */
export function createMembershipService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);

  const current = (contactId: string): Promise<MembershipWithCooperative | null> =>
    db.membership.findUnique({ where: { contactId }, include: { cooperative: true } });

  /** Her name, or null when she never gave one (the message then says "a member" instead). */
  const nameOf = async (contactId: string) =>
    (await db.contact.findUnique({ where: { id: contactId }, select: { displayName: true } }))?.displayName ??
    null;

  /** The contact of a cooperative's active lead, if it has one. */
  async function leadOf(cooperativeId: string): Promise<string | undefined> {
    const lead = await db.membership.findFirst({ where: { cooperativeId, role: 'LEAD', status: 'ACTIVE' } });
    return lead?.contactId;
  }

  /** Puts her in a cooperative, reusing her row (a declined request, a rejected cooperative's). */
  const place = (contactId: string, cooperativeId: string, data: Pick<Membership, 'role' | 'status'>) =>
    db.membership.upsert({
      where: { contactId },
      create: { contactId, cooperativeId, ...data },
      update: { cooperativeId, ...data },
    });

  /** Tells the coordinators about a join that cannot happen; once a day per person and cooperative. */
  async function postConflict(
    key: string,
    contactId: string,
    cooperative: Cooperative,
    elsewhere?: Cooperative,
  ) {
    const day = deps.clock().toISOString().slice(0, 10);
    await notify.toCoordinators(
      { type: 'cooperative', id: cooperative.id },
      notice(`cooperatives:conflict.${key}`, {
        name: await nameOf(contactId),
        cooperative: cooperative.name,
        current: elsewhere?.name ?? '',
      }),
      { kind: 'join-conflict', dedupeKey: `join-conflict:${contactId}:${cooperative.id}:${day}` },
    );
  }

  /** Checks she may join `cooperative`; posts a conflict when she is a member elsewhere. */
  async function admissible(contactId: string, cooperative: Cooperative): Promise<JoinError | null> {
    const membership = await current(contactId);
    if (!membership || !holdsPlace(membership)) return null;
    if (membership.cooperativeId === cooperative.id) {
      return membership.status === 'ACTIVE' ? 'already_here' : null;
    }
    if (membership.status === 'PENDING') return 'request_elsewhere';
    await postConflict('memberElsewhere', contactId, cooperative, membership.cooperative);
    return 'member_elsewhere';
  }

  return {
    /** Her membership (any status) with its cooperative, or null. */
    current,
    leadOf,

    /** Joins with the code the lead shared: she becomes an active member at once, and the lead is told. */
    async joinWithCode(contactId: string, text: string, channel: string): Promise<JoinOutcome> {
      const code = readJoinCode(text);
      if (!code) return { ok: false, error: 'not_a_code' };
      const cooperative = await db.cooperative.findUnique({ where: { joinCode: code } });
      if (!cooperative) return { ok: false, error: 'unknown_code' };
      const refused = await admissible(contactId, cooperative);
      if (refused) return { ok: false, error: refused };
      if (cooperative.status !== 'APPROVED') {
        if (cooperative.status === 'SUSPENDED') await postConflict('suspended', contactId, cooperative);
        return { ok: false, error: 'not_open' };
      }
      await place(contactId, cooperative.id, { role: 'MEMBER', status: 'ACTIVE' });
      await audit.record({
        actor: contactActor(contactId, channel),
        action: 'membership.join',
        targetType: 'cooperative',
        targetId: cooperative.id,
        data: { via: 'code' },
      });
      const lead = await leadOf(cooperative.id);
      if (lead && lead !== contactId) {
        const name = await nameOf(contactId);
        await notify.toContact(lead, notice('cooperatives:notify.memberJoined', { name }), {
          kind: 'membership',
        });
      }
      return { ok: true, cooperative };
    },

    /**
     * Asks to join an approved cooperative; its lead is told to answer from "join requests" (once per
     * person and cooperative, so asking again after a refusal does not flood her).
     */
    async requestToJoin(contactId: string, cooperativeId: string, channel: string): Promise<JoinOutcome> {
      const cooperative = await db.cooperative.findUnique({ where: { id: cooperativeId } });
      if (cooperative?.status !== 'APPROVED') return { ok: false, error: 'not_open' };
      const refused = await admissible(contactId, cooperative);
      if (refused) return { ok: false, error: refused };
      const existing = await current(contactId);
      if (existing?.status === 'PENDING' && existing.cooperativeId === cooperativeId) {
        return { ok: false, error: 'already_requested' };
      }
      const request = await place(contactId, cooperativeId, { role: 'MEMBER', status: 'PENDING' });
      await audit.record({
        actor: contactActor(contactId, channel),
        action: 'membership.request',
        targetType: 'cooperative',
        targetId: cooperativeId,
      });
      const lead = await leadOf(cooperativeId);
      if (lead) {
        const name = await nameOf(contactId);
        await notify.toContact(lead, notice('cooperatives:notify.joinRequest', { name }), {
          kind: 'membership',
          dedupeKey: `join-request:${request.id}:${cooperativeId}`,
        });
      }
      return { ok: true, cooperative };
    },

    /** The requests waiting for this lead's answer, oldest first; empty for anyone but an active lead. */
    async pendingRequests(leadContactId: string) {
      const lead = await current(leadContactId);
      if (lead?.role !== 'LEAD' || lead.status !== 'ACTIVE') return [];
      return db.membership.findMany({
        where: { cooperativeId: lead.cooperativeId, status: 'PENDING' },
        include: { contact: { select: { displayName: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    /** The lead accepts or declines one request; the requester is told. A forged or old id changes nothing. */
    async decide(
      leadContactId: string,
      membershipId: string,
      accept: boolean,
      channel: string,
    ): Promise<DecideOutcome> {
      const lead = await current(leadContactId);
      if (lead?.role !== 'LEAD' || lead.status !== 'ACTIVE') return { ok: false, error: 'not_lead' };
      const request = await db.membership.findUnique({ where: { id: membershipId } });
      if (request?.cooperativeId !== lead.cooperativeId) return { ok: false, error: 'not_found' };
      if (accept && lead.cooperative.status !== 'APPROVED') return { ok: false, error: 'not_open' };
      // Scoped to her cooperative too: the row is reused if she withdraws and asks elsewhere meanwhile.
      const { count } = await db.membership.updateMany({
        where: { id: membershipId, status: 'PENDING', cooperativeId: lead.cooperativeId },
        data: { status: accept ? 'ACTIVE' : 'DECLINED' },
      });
      if (count === 0) return { ok: false, error: 'already_handled' };
      await audit.record({
        actor: contactActor(leadContactId, channel),
        action: accept ? 'membership.accept' : 'membership.decline',
        targetType: 'membership',
        targetId: membershipId,
        data: { cooperativeId: lead.cooperativeId },
      });
      const key = accept ? 'cooperatives:notify.requestAccepted' : 'cooperatives:notify.requestDeclined';
      await notify.toContact(request.contactId, notice(key, { cooperative: lead.cooperative.name }), {
        kind: 'membership',
      });
      return { ok: true };
    },

    /**
     * Leaves her cooperative, or withdraws her request. A lead with other members (or requests) may
     * not: a coordinator hands the cooperative over. A lead leaving alone is reported to the coordinators.
     */
    async leave(contactId: string, channel: string): Promise<LeaveOutcome> {
      const membership = await current(contactId);
      if (!membership) return { ok: false, error: 'not_member' };
      const lead = membership.role === 'LEAD' && membership.status === 'ACTIVE';
      if (lead) {
        const others = await db.membership.count({
          where: {
            cooperativeId: membership.cooperativeId,
            id: { not: membership.id },
            status: { not: 'DECLINED' },
          },
        });
        if (others > 0) return { ok: false, error: 'lead_with_members' };
      }
      await db.membership.delete({ where: { id: membership.id } });
      await audit.record({
        actor: contactActor(contactId, channel),
        action: membership.status === 'PENDING' ? 'membership.withdraw' : 'membership.leave',
        targetType: 'cooperative',
        targetId: membership.cooperativeId,
      });
      if (lead && membership.cooperative.status !== 'REJECTED') {
        await notify.toCoordinators(
          { type: 'cooperative', id: membership.cooperativeId },
          notice('cooperatives:conflict.leadLeft', { cooperative: membership.cooperative.name }),
          { kind: 'cooperative-lead-left' },
        );
      }
      return { ok: true, membership };
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
