import { z } from 'zod';
import { createTicketService } from '../../services/tickets.js';
import { notFound } from './errors.js';
import { type AdminRouteModule, pageWindow, paginated, paginatedSchema, paginationQuery } from './routes.js';

const ticketStatus = z.enum(['OPEN', 'ANSWERED', 'CLOSED']);

const ticketFields = {
  id: z.string(),
  contactId: z.string(),
  /** OPEN: waiting for coordinators; ANSWERED: waiting for her; CLOSED. */
  status: ticketStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
};

const ticketSummary = z.object({ ...ticketFields, messages: z.number().int() });

const ticketWithThread = z.object({
  ...ticketFields,
  messages: z.array(
    z.object({
      id: z.string(),
      authorRole: z.string(),
      authorId: z.string().nullable(),
      text: z.string(),
      createdAt: z.iso.datetime(),
    }),
  ),
});

/** "Talk to a coordinator" tickets: the list with message counts, and one ticket's thread. */
export const ticketRoutes: AdminRouteModule = (api, deps) => {
  const serviceDeps = deps.services;

  api.route({
    method: 'get',
    path: '/tickets',
    summary: 'List tickets, newest first, with how many messages each holds',
    tags: ['tickets'],
    query: paginationQuery.extend({ status: ticketStatus.optional() }),
    responses: { 200: paginatedSchema(ticketSummary) },
    async handler({ query, db }) {
      const { items, total } = await createTicketService(db, serviceDeps).list(
        { status: query.status },
        pageWindow(query),
      );
      const summaries = items.map(({ _count, ...ticket }) => ({ ...ticket, messages: _count.messages }));
      return paginated(summaries, total, query.page, query.pageSize);
    },
  });

  api.route({
    method: 'get',
    path: '/tickets/:id',
    summary: 'One ticket with its whole thread, oldest message first',
    tags: ['tickets'],
    params: z.object({ id: z.string().max(64) }),
    responses: { 200: ticketWithThread },
    async handler({ params, db }) {
      const ticket = await createTicketService(db, serviceDeps).get(params.id);
      if (!ticket) throw notFound('Ticket');
      return ticket;
    },
  });
};
