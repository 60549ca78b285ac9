import { createContactService } from './contacts.js';
import type { DbClient } from './db.js';

/** All domain services bound to one client (the process's, or a transaction's). */
export function createServices(db: DbClient) {
  return {
    contacts: createContactService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
