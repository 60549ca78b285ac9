import { ADMIN_CHOICE_TOKEN, adminChoice } from '../admin-chat/types.js';
import type {
  Currency,
  FundingBeneficiary,
  FundingProgram,
  FundingRequest,
  FundingRequestStatus,
  Prisma,
} from '../generated/sqlite/client.js';
import { formatPrice } from '../i18n/format.js';
import { type AuditActor, createAuditService } from './audit.js';
import { createCoordinatorService } from './coordinators.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createFundingProgramService, FundingError } from './funding-programs.js';
import { createMembershipService } from './memberships.js';
import { createNotifier } from './notify.js';

export { FundingError, type FundingErrorCode, type ProgramInput } from './funding-programs.js';

/** What a member asks for: a program (or none: a need she describes), an amount, a purpose, for whom. */
export interface RequestDraft {
  contactId: string;
  programId?: string;
  amount?: { minor: number; currency: Currency };
  purpose: string;
  beneficiary: FundingBeneficiary;
}

/** A coordinator's decision on a request; `answer` is what she reads. */
export interface StatusChange {
  status: Exclude<FundingRequestStatus, 'NEW'>;
  answer?: string;
}

/** One entry of `FundingRequest.history`, oldest first. */
export interface HistoryEntry {
  status: FundingRequestStatus;
  at: string;
  by: string;
  note?: string;
}

/** Buttons on a request's post in the coordinators' chat, by the status each one sets. */
export const FUNDING_ACTIONS = {
  'funding.inReview': 'IN_REVIEW',
  'funding.answered': 'ANSWERED',
  'funding.close': 'CLOSED',
} as const satisfies Record<string, StatusChange['status']>;

/** A short reference people can say and type: the last six characters of the id, upper-cased. */
export const requestRef = (id: string) => id.slice(-6).toUpperCase();

/**
 * False when an amount in the program's own currency lies outside its range; an amount in another
 * currency fits (coordinators judge the exchange).
 */
export const fitsProgram = (program: FundingProgram, amount: { minor: number; currency: Currency }) =>
  amount.currency !== program.currency ||
  ((program.minAmountMinor === null || amount.minor >= program.minAmountMinor) &&
    (program.maxAmountMinor === null || amount.minor <= program.maxAmountMinor));

/**
 * Funding (DESIGN §4): programs coordinators curate, and requests members send. The chat, the
 * coordinators' chat and the admin API all change a request through `setStatus`, so she is told
 * the same way whichever they use. Every decision is in the audit log.
 */
export function createFundingService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);
  const coordinators = createCoordinatorService(db);
  const memberships = createMembershipService(db, deps);
  const programs = createFundingProgramService(db);
  const { activeProgram } = programs;

  /** Her approved cooperative (through an ACTIVE membership), for whom she may ask; else null. */
  async function cooperativeOf(contactId: string) {
    const membership = await memberships.current(contactId);
    const member = membership?.status === 'ACTIVE' && membership.cooperative.status === 'APPROVED';
    return member ? membership.cooperative : null;
  }

  /** Coordinators see who asks, for whom and for what, with buttons; replying to the post answers her. */
  async function postToCoordinators(request: FundingRequest) {
    const full = await db.fundingRequest.findUniqueOrThrow({
      where: { id: request.id },
      include: { contact: true, cooperative: true, program: true },
    });
    await notify.toCoordinators(
      { type: 'funding-request', id: full.id },
      (t, locale) => ({
        text: [
          t('funding:admin.title', { ref: requestRef(full.id) }),
          t('funding:admin.who', {
            name: full.contact.displayName ?? t('funding:admin.noName'),
            phone: full.contact.phone ?? t('funding:admin.noPhone'),
          }),
          full.cooperative
            ? t('funding:admin.forCooperative', { name: full.cooperative.name })
            : t('funding:admin.forHerself'),
          full.program ? t('funding:admin.program', { name: full.program.name }) : t('funding:admin.need'),
          t('funding:admin.amount', {
            amount:
              full.amountMinor === null
                ? t('funding:amount.none')
                : formatPrice(full.amountMinor, full.currency, locale),
          }),
          t('funding:admin.purpose', { purpose: full.purpose }),
          t('funding:admin.howToAnswer'),
        ].join('\n'),
        choices: Object.entries(FUNDING_ACTIONS).map(([action, status]) =>
          adminChoice(action, full.id, t(`funding:admin.set.${status}`)),
        ),
        choiceToken: ADMIN_CHOICE_TOKEN,
      }),
      { kind: 'funding-request', dedupeKey: `funding:${full.id}:post` },
    );
  }

  /** Tells her the new status (and the answer given now); keyed by the history entry so nothing doubles. */
  async function tellHer(request: FundingRequest, answer: string | undefined, entries: number) {
    await notify.toContact(
      request.contactId,
      (t) => ({
        text: [
          t('funding:notice.status', {
            ref: requestRef(request.id),
            status: t(`funding:status.${request.status}`),
          }),
          ...(answer ? [t('funding:notice.answer', { answer })] : []),
          t('funding:notice.footer'),
        ].join('\n'),
      }),
      { kind: 'funding-status', dedupeKey: `funding:${request.id}:${request.status}:${entries}` },
    );
  }

  return {
    ...programs,

    cooperativeOf,

    /** Records her request, posts it to the coordinators' chat and audits it. */
    async createRequest(draft: RequestDraft, actor: AuditActor, now: Date) {
      if (draft.programId && !(await activeProgram(draft.programId)))
        throw new FundingError('program_inactive');
      const cooperative = draft.beneficiary === 'COOPERATIVE' ? await cooperativeOf(draft.contactId) : null;
      if (draft.beneficiary === 'COOPERATIVE' && !cooperative) throw new FundingError('not_member');
      const history: HistoryEntry[] = [{ status: 'NEW', at: now.toISOString(), by: actor.label }];
      const request = await db.fundingRequest.create({
        data: {
          contactId: draft.contactId,
          programId: draft.programId,
          cooperativeId: cooperative?.id,
          amountMinor: draft.amount?.minor,
          currency: draft.amount?.currency,
          purpose: draft.purpose,
          beneficiary: draft.beneficiary,
          history: history as unknown as Prisma.InputJsonValue,
          createdAt: now,
        },
      });
      await audit.record({
        actor,
        action: 'funding-request.create',
        targetType: 'funding-request',
        targetId: request.id,
        data: { programId: draft.programId ?? null, beneficiary: draft.beneficiary },
        at: now,
      });
      await postToCoordinators(request);
      return request;
    },

    /** Her requests, newest first, with the program's name. */
    async requestsOf(contactId: string, window: PageWindow = {}) {
      const where = { contactId };
      const items = await db.fundingRequest.findMany({
        where,
        include: { program: { select: { name: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        ...window,
      });
      return { items, total: await db.fundingRequest.count({ where }) };
    },

    /** Whether she has sent any request ("my requests" is offered only then). */
    hasRequests: async (contactId: string) => (await db.fundingRequest.count({ where: { contactId } })) > 0,

    /** One of her own requests; null for anyone else's. */
    requestOf: (contactId: string, id: string) =>
      db.fundingRequest.findFirst({
        where: { id, contactId },
        include: { program: { select: { name: true } }, cooperative: { select: { name: true } } },
      }),

    /** Every request, newest first, for coordinators. */
    async listRequests(filter: { status?: FundingRequestStatus }, window: PageWindow = {}) {
      const where = { status: filter.status };
      const items = await db.fundingRequest.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        ...window,
      });
      return { items, total: await db.fundingRequest.count({ where }) };
    },

    /**
     * A coordinator's decision: the status (and answer) stored, the history appended, she told, all
     * audited. The same status again without a new answer changes nothing (`changed: false`); a closed
     * request stays closed. Only coordinators act: an actor with a contact must be one.
     */
    async setStatus(id: string, change: StatusChange, actor: AuditActor, now: Date) {
      if (actor.contactId && !(await coordinators.isCoordinator(actor.contactId)))
        throw new FundingError('forbidden');
      const before = await db.fundingRequest.findUnique({ where: { id } });
      if (!before) throw new FundingError('not_found');
      const answer = change.answer?.trim() || undefined;
      if (before.status === change.status && !answer) return { request: before, changed: false };
      if (before.status === 'CLOSED') throw new FundingError('closed');
      const history = [
        ...(before.history as unknown as HistoryEntry[]),
        {
          status: change.status,
          at: now.toISOString(),
          by: actor.label,
          ...(answer ? { note: answer } : {}),
        },
      ];
      // Guarded by the row as read: of two presses at once, only one changes it.
      const { count } = await db.fundingRequest.updateMany({
        where: { id, updatedAt: before.updatedAt },
        data: {
          status: change.status,
          coordinatorReply: answer ?? before.coordinatorReply,
          history: history as unknown as Prisma.InputJsonValue,
        },
      });
      const request = await db.fundingRequest.findUniqueOrThrow({ where: { id } });
      if (count === 0) return { request, changed: false };
      await audit.record({
        actor,
        action: 'funding-request.status',
        targetType: 'funding-request',
        targetId: id,
        data: { from: before.status, to: change.status, answered: answer !== undefined },
        at: now,
      });
      await tellHer(request, answer, history.length);
      return { request, changed: true };
    },
  };
}

export type FundingService = ReturnType<typeof createFundingService>;
