import type { Prisma } from '../generated/sqlite/client.js';

/**
 * What services write through: the process's client or a transaction's. Typed by the SQLite client;
 * the PostgreSQL client is generated from the same models, so its shape is the same.
 */
export type DbClient = Prisma.TransactionClient;

/** Which slice of a list to read (from `pageWindow` of the admin API's pagination). */
export type PageWindow = { skip?: number; take?: number };
