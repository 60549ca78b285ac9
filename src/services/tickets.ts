import { ADMIN_CHOICE_TOKEN, adminChoice } from '../admin-chat/types.js';
import type { HandoffTicket, ThreadStatus } from '../generated/sqlite/client.js';
import { type AuditActor, createAuditService } from './audit.js';
import { createCoordinatorService } from './coordinators.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createNotifier } from './notify.js';

/** Why a ticket operation was refused. */
export type TicketErrorCode = 'not_found' | 'closed' | 'forbidden';

export class TicketError extends Error {
  constructor(readonly code: TicketErrorCode) {
    super(`ticket: ${code}`);
    this.name = 'TicketError';
  }
}

/** The button on a ticket's posts in the coordinators' chat. */
export const TICKET_CLOSE_ACTION = 'ticket.close';

/** The longest message kept in a thread; longer ones are cut (the flow says so before). */
export const MAX_THREAD_TEXT = 2000;

/**
 * "Talk to a coordinator" (DESIGN §6): a member's question becomes a ticket, each of her messages a
 * post in the coordinators' chat (a reply to it answers her on her channel), until one side closes
 * it. A ticket is OPEN while it waits for coordinators and ANSWERED while it waits for her.
 */
export function createTicketService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);
  const coordinators = createCoordinatorService(db);

  /** One post per message of hers, so coordinators reply right under what she wrote. */
  async function postToCoordinators(ticket: HandoffTicket, text: string, first: boolean) {
    const contact = await db.contact.findUniqueOrThrow({ where: { id: ticket.contactId } });
    await notify.toCoordinators(
      { type: 'ticket', id: ticket.id },
      (t) => ({
        text: [
          t(first ? 'tickets:admin.opened' : 'tickets:admin.more', {
            name: contact.displayName ?? t('tickets:admin.noName'),
            phone: contact.phone ?? t('tickets:admin.noPhone'),
          }),
          t('tickets:admin.text', { text }),
          t('tickets:admin.howToAnswer'),
        ].join('\n'),
        choices: [adminChoice(TICKET_CLOSE_ACTION, ticket.id, t('tickets:admin.close'))],
        choiceToken: ADMIN_CHOICE_TOKEN,
      }),
      { kind: 'ticket' },
    );
  }

  async function activeTicketOf(contactId: string) {
    return db.handoffTicket.findFirst({
      where: { contactId, status: { not: 'CLOSED' } },
      orderBy: { createdAt: 'desc' },
    });
  }

  async function requireOpen(id: string) {
    const ticket = await db.handoffTicket.findUnique({ where: { id } });
    if (!ticket) throw new TicketError('not_found');
    if (ticket.status === 'CLOSED') throw new TicketError('closed');
    return ticket;
  }

  /** Closes the ticket `where` names unless it is closed already; undefined when there is none. */
  async function closeTicket(where: { id: string; contactId?: string }, actor: AuditActor, now: Date) {
    const { count } = await db.handoffTicket.updateMany({
      where: { ...where, status: { not: 'CLOSED' } },
      data: { status: 'CLOSED', closedAt: now },
    });
    const ticket = await db.handoffTicket.findFirst({ where });
    if (!ticket) return undefined;
    if (count > 0) {
      await audit.record({
        actor,
        action: 'ticket.close',
        targetType: 'ticket',
        targetId: ticket.id,
        at: now,
      });
    }
    return { ticket, changed: count > 0 };
  }

  async function requireCoordinator(actor: AuditActor) {
    if (actor.contactId && !(await coordinators.isCoordinator(actor.contactId)))
      throw new TicketError('forbidden');
  }

  return {
    /** Her ticket that is not closed yet, if any. */
    activeTicketOf,

    /** The messages of a ticket, oldest first; `last` keeps only the latest ones. */
    async thread(ticketId: string, last?: number) {
      const messages = await db.threadMessage.findMany({
        where: { ticketId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: last,
      });
      return messages.reverse();
    },

    /**
     * What she writes: it joins her active ticket, or opens one. Either way coordinators get a post.
     * Returns the ticket and whether it is new.
     */
    async fromContact(contactId: string, text: string, actor: AuditActor, now: Date) {
      const body = text.trim().slice(0, MAX_THREAD_TEXT);
      const active = await activeTicketOf(contactId);
      const ticket = active
        ? await db.handoffTicket.update({ where: { id: active.id }, data: { status: 'OPEN' } })
        : await db.handoffTicket.create({ data: { contactId, createdAt: now } });
      await db.threadMessage.create({
        data: { ticketId: ticket.id, authorId: contactId, authorRole: 'contact', text: body, createdAt: now },
      });
      if (!active) {
        await audit.record({
          actor,
          action: 'ticket.open',
          targetType: 'ticket',
          targetId: ticket.id,
          at: now,
        });
      }
      await postToCoordinators(ticket, body, !active);
      return { ticket, opened: !active };
    },

    /** A coordinator's answer: kept in the thread and sent to her on the channel she used last. */
    async reply(ticketId: string, text: string, actor: AuditActor, now: Date) {
      await requireCoordinator(actor);
      const ticket = await requireOpen(ticketId);
      const message = await db.threadMessage.create({
        data: {
          ticketId,
          authorId: actor.contactId,
          authorRole: 'coordinator',
          text: text.trim().slice(0, MAX_THREAD_TEXT),
          createdAt: now,
        },
      });
      await db.handoffTicket.update({ where: { id: ticketId }, data: { status: 'ANSWERED' } });
      await audit.record({
        actor,
        action: 'ticket.reply',
        targetType: 'ticket',
        targetId: ticketId,
        at: now,
      });
      await notify.toContact(
        ticket.contactId,
        (t) => ({
          text: [t('tickets:notice.reply', { text: message.text }), t('tickets:notice.howToAnswer')].join(
            '\n',
          ),
        }),
        { kind: 'ticket-reply', dedupeKey: `ticket:${ticketId}:message:${message.id}` },
      );
      return message;
    },

    /** A coordinator closes a ticket; she is told. `changed` is false when it already was closed. */
    async close(ticketId: string, actor: AuditActor, now: Date) {
      await requireCoordinator(actor);
      const closed = await closeTicket({ id: ticketId }, actor, now);
      if (!closed) throw new TicketError('not_found');
      if (closed.changed) {
        await notify.toContact(closed.ticket.contactId, (t) => ({ text: t('tickets:notice.closed') }), {
          kind: 'ticket-closed',
          dedupeKey: `ticket:${ticketId}:closed`,
        });
      }
      return closed;
    },

    /** She closes her active ticket ("close my question"); the coordinators are told. False when none. */
    async closeByContact(contactId: string, actor: AuditActor, now: Date): Promise<boolean> {
      const active = await activeTicketOf(contactId);
      const closed = active ? await closeTicket({ id: active.id, contactId }, actor, now) : undefined;
      if (!closed?.changed) return false;
      const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
      await notify.toCoordinators(
        { type: 'ticket', id: closed.ticket.id },
        (t) => ({
          text: t('tickets:admin.closedByHer', { name: contact.displayName ?? t('tickets:admin.noName') }),
        }),
        { kind: 'ticket', dedupeKey: `ticket:${closed.ticket.id}:closed` },
      );
      return true;
    },

    /** Tickets for coordinators, newest first, with how many messages each holds. */
    async list(filter: { status?: ThreadStatus }, window: PageWindow = {}) {
      const where = { status: filter.status };
      const items = await db.handoffTicket.findMany({
        where,
        include: { _count: { select: { messages: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        ...window,
      });
      return { items, total: await db.handoffTicket.count({ where }) };
    },

    /** One ticket with its whole thread; null when unknown. */
    get: (id: string) =>
      db.handoffTicket.findUnique({
        where: { id },
        include: { messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
      }),
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
