import { z } from 'zod';
import { createAuditService } from '../../services/audit.js';
import { type AdminRouteModule, pageWindow, paginated, paginatedSchema, paginationQuery } from './routes.js';

/** One audit log entry: who (contact id or label), through which channel, did what to which target. */
const auditEntrySchema = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  channel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  data: z.unknown(),
  at: z.iso.datetime(),
});

const filter = z.string().trim().min(1).max(100).optional();

/** The audit log, newest first, filtered by target and action. */
export const auditRoutes: AdminRouteModule = (api) => {
  api.route({
    method: 'get',
    path: '/audit',
    summary: 'List audit log entries, newest first',
    tags: ['audit'],
    query: paginationQuery.extend({ targetType: filter, targetId: filter, action: filter }),
    responses: { 200: paginatedSchema(auditEntrySchema) },
    async handler({ query, db }) {
      const { page, pageSize, ...where } = query;
      const { items, total } = await createAuditService(db).list(where, pageWindow(query));
      return paginated(items, total, page, pageSize);
    },
  });
};
