import type { Prisma } from '../generated/sqlite/client.js';

/**
 * What services write through: the process's client or a transaction's. Typed by the SQLite client;
 * the PostgreSQL client is generated from the same models, so its shape is the same.
 */
export type DbClient = Prisma.TransactionClient;
