import { z } from 'zod';
import { MAX_PRICE_MAJOR } from '../../i18n/parse.js';
import type { DbClient } from '../../services/db.js';
import { createFundingService, FundingError, requestRef } from '../../services/funding.js';
import { badRequest, conflict, notFound } from './errors.js';
import { type AdminRouteModule, pageWindow, paginated, paginatedSchema, paginationQuery } from './routes.js';

const currency = z.enum(['ILS', 'USD', 'JOD']);
const programStatus = z.enum(['ACTIVE', 'ARCHIVED']);
const requestStatus = z.enum(['NEW', 'IN_REVIEW', 'ANSWERED', 'CLOSED']);
/** Integer minor units (agorot, cents, fils), up to a million in the largest unit. */
const minor = z
  .number()
  .int()
  .positive()
  .max(MAX_PRICE_MAJOR * 1000);
const text = (max: number) => z.string().trim().min(2).max(max);

const programFields = {
  name: text(120),
  provider: text(120),
  kind: z.enum(['LOAN', 'GRANT', 'IN_KIND']),
  currency,
  minAmountMinor: minor.nullable(),
  maxAmountMinor: minor.nullable(),
  eligibility: text(1000),
  howToApply: text(1000),
  description: z.string().trim().max(2000).nullable(),
};

const createProgramBody = z
  .object({
    ...programFields,
    currency: currency.default('ILS'),
    minAmountMinor: programFields.minAmountMinor.optional(),
    maxAmountMinor: programFields.maxAmountMinor.optional(),
    description: programFields.description.optional(),
  })
  .strict();

const updateProgramBody = z
  .object(programFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');

const programSchema = z.object({
  id: z.string(),
  ...programFields,
  status: programStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const requestSchema = z.object({
  id: z.string(),
  /** What she and the coordinators' chat call it. */
  ref: z.string(),
  contactId: z.string(),
  cooperativeId: z.string().nullable(),
  programId: z.string().nullable(),
  amountMinor: z.number().int().nullable(),
  currency,
  purpose: z.string(),
  beneficiary: z.enum(['SELF', 'COOPERATIVE']),
  status: requestStatus,
  coordinatorReply: z.string().nullable(),
  history: z.array(
    z.object({ status: requestStatus, at: z.string(), by: z.string(), note: z.string().optional() }),
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const idParams = z.object({ id: z.string().max(64) });

/** The funding service's refusals as HTTP errors. */
function toApiError(err: unknown): never {
  if (!(err instanceof FundingError)) throw err;
  if (err.code === 'not_found') throw notFound('Funding request');
  if (err.code === 'closed') throw conflict('The request is closed', 'request_closed');
  if (err.code === 'range')
    throw badRequest('minAmountMinor must not exceed maxAmountMinor', 'validation_failed');
  throw badRequest(err.message);
}

/**
 * Funding programs (what members browse: create, change, archive) and funding requests (list, and a
 * decision with an answer that reaches her like one made in the coordinators' chat). All audited.
 */
export const fundingRoutes: AdminRouteModule = (api, deps) => {
  const serviceDeps = deps.services;
  const funding = (db: DbClient) => createFundingService(db, serviceDeps);

  api.route({
    method: 'get',
    path: '/funding-programs',
    summary: 'List funding programs, newest first',
    tags: ['funding'],
    query: paginationQuery.extend({ status: programStatus.optional() }),
    responses: { 200: paginatedSchema(programSchema) },
    async handler({ query, db }) {
      const { items, total } = await funding(db).listPrograms({ status: query.status }, pageWindow(query));
      return paginated(items, total, query.page, query.pageSize);
    },
  });

  api.route({
    method: 'post',
    path: '/funding-programs',
    summary: 'Add a funding program members can browse',
    description: 'Amounts are integer minor units of `currency` (ILS agorot, USD cents, JOD fils).',
    tags: ['funding'],
    body: createProgramBody,
    responses: { 201: programSchema },
    handler: ({ body, actor, db }) =>
      db.$transaction((tx) => funding(tx).createProgram(body, actor)).catch(toApiError),
  });

  api.route({
    method: 'patch',
    path: '/funding-programs/:id',
    summary: 'Change a funding program',
    tags: ['funding'],
    params: idParams,
    body: updateProgramBody,
    responses: { 200: programSchema },
    handler: ({ params, body, actor, db }) =>
      db.$transaction((tx) => funding(tx).updateProgram(params.id, body, actor)).catch(toApiError),
  });

  api.route({
    method: 'post',
    path: '/funding-programs/:id/archive',
    summary: 'Archive a funding program',
    description: 'Members no longer see it; requests already made keep it. Archiving twice changes nothing.',
    tags: ['funding'],
    params: idParams,
    responses: { 200: programSchema },
    handler: ({ params, actor, db }) => db.$transaction((tx) => funding(tx).archiveProgram(params.id, actor)),
  });

  api.route({
    method: 'get',
    path: '/funding-requests',
    summary: 'List funding requests, newest first',
    tags: ['funding'],
    query: paginationQuery.extend({ status: requestStatus.optional() }),
    responses: { 200: paginatedSchema(requestSchema) },
    async handler({ query, db }) {
      const { items, total } = await funding(db).listRequests({ status: query.status }, pageWindow(query));
      const withRef = items.map((r) => ({ ...r, ref: requestRef(r.id) }));
      return paginated(withRef, total, query.page, query.pageSize);
    },
  });

  api.route({
    method: 'patch',
    path: '/funding-requests/:id',
    summary: 'Decide on a funding request',
    description:
      'Sets the status, optionally with an answer for her; she is told on her channel. The same status ' +
      'again without an answer changes nothing; a closed request cannot change (409).',
    tags: ['funding'],
    params: idParams,
    body: z
      .object({
        status: requestStatus.exclude(['NEW']),
        answer: z.string().trim().min(1).max(2000).optional(),
      })
      .strict(),
    responses: { 200: requestSchema },
    async handler({ params, body, actor, db, now }) {
      const { request } = await db
        .$transaction((tx) => funding(tx).setStatus(params.id, body, actor, now))
        .catch(toApiError);
      return { ...request, ref: requestRef(request.id) };
    },
  });
};
