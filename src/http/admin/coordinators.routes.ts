import { z } from 'zod';
import type { Contact } from '../../generated/sqlite/client.js';
import { parsePhone } from '../../i18n/parse.js';
import { createCoordinatorService } from '../../services/coordinators.js';
import {
  type AdminRouteModule,
  pageWindow,
  paginated,
  paginatedSchema,
  paginationQuery,
  reply,
} from './routes.js';

/** A coordinator as the admin API shows her; phones are visible to coordinators and admins only. */
const coordinatorSchema = z.object({
  id: z.string(),
  role: z.enum(['USER', 'COORDINATOR', 'ADMIN']),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  telegramUserIds: z.array(z.string()),
  createdAt: z.iso.datetime(),
});

const grantBody = z
  .object({
    telegramUserId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a Telegram user id (digits)')
      .optional(),
    phone: z
      .string()
      .max(32)
      .refine((value) => parsePhone(value).ok, 'must be a phone number, e.g. 0599123456 or +970599123456')
      .optional(),
    contactId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine(
    (b) => [b.telegramUserId, b.phone, b.contactId].filter((v) => v !== undefined).length === 1,
    'give exactly one of telegramUserId, phone or contactId',
  );

type ContactWithChannels = Contact & { channels: { channel: string; externalId: string }[] };

const toCoordinator = (contact: ContactWithChannels) => ({
  ...contact,
  telegramUserIds: contact.channels.filter((c) => c.channel === 'telegram').map((c) => c.externalId),
});

/** Coordinators: list, grant (by Telegram user id, phone or contact id) and revoke; all audited. */
export const coordinatorRoutes: AdminRouteModule = (api) => {
  api.route({
    method: 'get',
    path: '/coordinators',
    summary: 'List coordinators and admins',
    tags: ['coordinators'],
    query: paginationQuery,
    responses: { 200: paginatedSchema(coordinatorSchema) },
    async handler({ query, db }) {
      const { items, total } = await createCoordinatorService(db).list(pageWindow(query));
      return paginated(items.map(toCoordinator), total, query.page, query.pageSize);
    },
  });

  api.route({
    method: 'post',
    path: '/coordinators',
    summary: 'Grant coordinator rights',
    description:
      'Creates the contact when the Telegram user or phone is not known yet. 201 when granted now, ' +
      '200 when she already was a coordinator (nothing is written then).',
    tags: ['coordinators'],
    body: grantBody,
    responses: { 200: coordinatorSchema, 201: coordinatorSchema },
    async handler({ body, actor, db, now }) {
      const { coordinator, granted } = await db.$transaction((tx) =>
        createCoordinatorService(tx).grant(body, actor, now),
      );
      return reply(granted ? 201 : 200, toCoordinator(coordinator));
    },
  });

  api.route({
    method: 'delete',
    path: '/coordinators/:id',
    summary: 'Revoke coordinator rights',
    description: 'The contact stays, as a user. Revoking someone who is not a coordinator changes nothing.',
    tags: ['coordinators'],
    params: z.object({ id: z.string().max(64) }),
    responses: { 200: coordinatorSchema },
    async handler({ params, actor, db, now }) {
      const { contact } = await db.$transaction((tx) =>
        createCoordinatorService(tx).revoke(params.id, actor, now),
      );
      return toCoordinator(contact);
    },
  });
};
