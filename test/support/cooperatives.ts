import type { Prisma } from '../../src/generated/sqlite/client.js';
import { normalizeName } from '../../src/i18n/normalize.js';
import type { DbClient } from '../../src/services/db.js';

/** A cooperative written straight to the database (APPROVED unless told otherwise). */
export function seedCooperative(db: DbClient, fields: Partial<Prisma.CooperativeUncheckedCreateInput> = {}) {
  const name = fields.name ?? 'جمعية نساء بيت حانون';
  return db.cooperative.create({
    data: {
      name,
      normalizedName: normalizeName(name),
      legalForm: 'COOPERATIVE',
      governorate: 'north-gaza',
      locality: 'بيت حانون',
      sectors: ['embroidery-textiles'],
      membersCount: 20,
      contactPhone: '+970599000001',
      status: 'APPROVED',
      ...fields,
    },
  });
}

/** Makes a contact a member of a cooperative (ACTIVE MEMBER unless told otherwise). */
export function seedMembership(
  db: DbClient,
  contactId: string,
  cooperativeId: string,
  fields: Partial<Prisma.MembershipUncheckedCreateInput> = {},
) {
  return db.membership.create({ data: { contactId, cooperativeId, status: 'ACTIVE', ...fields } });
}

/** The coordinators' chat posts queued about cooperatives, oldest first, as their payloads. */
export async function coordinatorPosts(db: DbClient, chatId: string) {
  const rows = await db.outboxMessage.findMany({ where: { chatId }, orderBy: { createdAt: 'asc' } });
  return rows.map(
    (row) =>
      row.payload as {
        text: string;
        choices?: { id: string; label: string }[];
        adminTarget?: { type: string; id: string };
      },
  );
}
