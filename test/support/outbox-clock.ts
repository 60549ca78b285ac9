import { afterEach, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';

/**
 * A fresh database per test and a clock the test moves by hand, for the outbox dispatcher. The clock
 * starts a minute ahead of real time, so rows written now (notBefore = now) are due at once.
 */
export function useOutboxTestBed() {
  let testDb: TestDatabase;
  let now = new Date();
  beforeEach(async () => {
    testDb = await createTestDatabase();
    now = new Date(Date.now() + 60_000);
  });
  afterEach(async () => {
    await testDb.cleanup();
  });
  return {
    prisma: () => testDb.db.prisma,
    clock: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}
