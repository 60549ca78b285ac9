import { afterEach, describe, expect, it } from 'vitest';
import { findRecipients } from '../../src/services/broadcast-audience.js';
import { createTestDatabase } from '../support/db.js';

const PEOPLE = 1_700;
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

/** A broadcast to thousands: SQLite refuses a query with too many bound parameters, so recipients are read in pages. */
describe('the recipients of a large broadcast', () => {
  it('are all found, once each, on SQLite', async () => {
    const testDb = await createTestDatabase();
    close = testDb.cleanup;
    const prisma = testDb.db.prisma;
    const ids = Array.from({ length: PEOPLE }, (_, i) => `contact-${String(i).padStart(5, '0')}`);
    await prisma.contact.createMany({
      data: ids.map((id) => ({ id, consentAt: new Date(), subscribed: true })),
    });
    await prisma.contactChannel.createMany({
      data: ids.map((id) => ({ contactId: id, channel: 'web', externalId: `session-${id}` })),
    });

    const recipients = await findRecipients(prisma, { kind: 'all' });
    expect(recipients).toHaveLength(PEOPLE);
    expect(new Set(recipients.map((r) => r.contactId)).size).toBe(PEOPLE);
  });
});
