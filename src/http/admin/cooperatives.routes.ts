import { z } from 'zod';
import { GOVERNORATES } from '../../data/governorates.js';
import type { Cooperative } from '../../generated/sqlite/client.js';
import { sectorsOf } from '../../services/cooperative-messages.js';
import { LEGAL_FORMS, REJECTION_REASON_MAX } from '../../services/cooperative-rules.js';
import { createCooperativeService, type ReviewOutcome } from '../../services/cooperatives.js';
import type { DbClient } from '../../services/db.js';
import { createMembershipService } from '../../services/memberships.js';
import { conflict, notFound } from './errors.js';
import { type AdminRouteModule, pageWindow, paginated, paginatedSchema, paginationQuery } from './routes.js';

const cooperativeStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED', 'SUSPENDED']);
const governorate = z.enum(GOVERNORATES.map((g) => g.slug) as [string, ...string[]]);

/** A cooperative as coordinators see it, phone included. */
const cooperativeSchema = z.object({
  id: z.string(),
  name: z.string(),
  legalForm: z.enum(LEGAL_FORMS),
  /** Governorate slug (src/data/governorates.json). */
  governorate: z.string(),
  locality: z.string(),
  sectors: z.array(z.string()),
  /** How many members she said the cooperative has. */
  membersCount: z.number().int(),
  /** How many of them are active members in Taawun (the lead included). */
  members: z.number().int(),
  description: z.string().nullable(),
  contactPhone: z.string().nullable(),
  publishContact: z.boolean(),
  status: cooperativeStatus,
  rejectionReason: z.string().nullable(),
  joinCode: z.string().nullable(),
  approvedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const cooperativeDetail = cooperativeSchema.extend({
  lead: z
    .object({ id: z.string(), displayName: z.string().nullable(), phone: z.string().nullable() })
    .nullable(),
});

type Counted = Cooperative & { _count: { memberships: number } };

const toCooperative = ({ _count, ...cooperative }: Counted) => ({
  ...cooperative,
  sectors: sectorsOf(cooperative.sectors),
  members: _count.memberships,
});

const idParams = z.object({ id: z.string().max(64) });

/**
 * Cooperatives: the list (by status, governorate, name), one with its lead, and the coordinators'
 * decisions through the same service as the chat, so the lead is told and the decision audited.
 */
export const cooperativeRoutes: AdminRouteModule = (api, deps) => {
  const serviceDeps = deps.services;
  const cooperatives = (db: DbClient) => createCooperativeService(db, serviceDeps);

  /** The cooperative with its lead, or a 404. */
  async function detail(db: DbClient, id: string) {
    const cooperative = await cooperatives(db).get(id);
    if (!cooperative) throw notFound('Cooperative');
    const leadId = await createMembershipService(db, serviceDeps).leadOf(id);
    const lead = leadId
      ? await db.contact.findUnique({
          where: { id: leadId },
          select: { id: true, displayName: true, phone: true },
        })
      : null;
    return { ...toCooperative(cooperative), lead };
  }

  /** A decision's answer: the cooperative after it, or why nothing changed. */
  async function decided(db: DbClient, outcome: ReviewOutcome) {
    if (outcome.ok) return detail(db, outcome.cooperative.id);
    if (outcome.error === 'not_found') throw notFound('Cooperative');
    throw conflict(
      `The cooperative is ${outcome.cooperative?.status ?? 'not pending'} already`,
      'already_handled',
    );
  }

  api.route({
    method: 'get',
    path: '/cooperatives',
    summary: 'List cooperatives, newest first, with their number of active members',
    description: '`q` matches part of the name in any spelling (hamza, harakat, ة/ه, digits).',
    tags: ['cooperatives'],
    query: paginationQuery.extend({
      status: cooperativeStatus.optional(),
      governorate: governorate.optional(),
      q: z.string().trim().min(1).max(100).optional(),
    }),
    responses: { 200: paginatedSchema(cooperativeSchema) },
    async handler({ query, db }) {
      const { page, pageSize, ...filter } = query;
      const { items, total } = await cooperatives(db).list(filter, pageWindow(query));
      return paginated(items.map(toCooperative), total, page, pageSize);
    },
  });

  api.route({
    method: 'get',
    path: '/cooperatives/:id',
    summary: 'One cooperative with its lead',
    tags: ['cooperatives'],
    params: idParams,
    responses: { 200: cooperativeDetail },
    handler: ({ params, db }) => detail(db, params.id),
  });

  api.route({
    method: 'post',
    path: '/cooperatives/:id/approve',
    summary: 'Approve a pending cooperative',
    description: 'Gives it a join code and tells its lead. 409 `already_handled` when it is not pending.',
    tags: ['cooperatives'],
    params: idParams,
    responses: { 200: cooperativeDetail },
    handler: ({ params, actor, db, now }) =>
      db.$transaction(async (tx) => decided(tx, await cooperatives(tx).approve(params.id, actor, now))),
  });

  api.route({
    method: 'post',
    path: '/cooperatives/:id/reject',
    summary: 'Reject a pending cooperative with a reason',
    description: 'Its lead is told the reason. 409 `already_handled` when it is not pending.',
    tags: ['cooperatives'],
    params: idParams,
    body: z.object({ reason: z.string().trim().min(1).max(REJECTION_REASON_MAX) }).strict(),
    responses: { 200: cooperativeDetail },
    handler: ({ params, body, actor, db, now }) =>
      db.$transaction(async (tx) =>
        decided(tx, await cooperatives(tx).reject(params.id, body.reason, actor, now)),
      ),
  });
};
