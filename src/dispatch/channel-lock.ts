import pg from 'pg';
import type { Logger } from 'pino';
import { parseDatabaseUrl, pgPoolConfig } from '../db/url.js';

/**
 * Which channels this process may send on. On PostgreSQL several instances may run; each channel's
 * rate is kept by a token bucket in one process only, so one instance at a time sends on a channel.
 */
export interface ChannelLocks {
  /** Tries to take the channels among `channels` not held yet (each at most every few seconds); returns those held. */
  acquire(channels: string[]): Promise<Set<string>>;
  /** Still held: false as soon as the lock's connection is lost (another instance may have it then). */
  holds(channel: string): boolean;
  /** Lets the channels go, for another instance to take. */
  release(): Promise<void>;
}

export interface PgChannelLockOptions {
  databaseUrl: string;
  logger: Logger;
  /** How often a channel held elsewhere is tried again (default 5 s). */
  retryMs?: number;
  /** Shown in pg_stat_activity, to tell the lock connections apart. */
  name?: string;
}

/**
 * Channel locks as PostgreSQL session-level advisory locks (DESIGN §7), one per channel and schema
 * (two deployments sharing a database do not block each other). Prisma's pool hands out any
 * connection per query, and a session lock belongs to the connection that took it, so the locks live
 * on one dedicated connection: they last as long as it does, and vanish with it when the process
 * dies. A lost connection drops every lock; they are taken again on a new one.
 */
export function createPgChannelLocks(options: PgChannelLockOptions): ChannelLocks {
  const target = parseDatabaseUrl(options.databaseUrl);
  if (target.provider !== 'postgresql') throw new Error('channel locks need PostgreSQL');
  const logger = options.logger.child({ component: 'channel-lock' });
  const retryMs = options.retryMs ?? 5_000;
  const prefix = `taawun-dispatch:${target.schema ?? 'public'}:`;
  const config = { ...pgPoolConfig(target), application_name: options.name ?? 'taawun-dispatch' };
  const held = new Set<string>();
  const triedAt = new Map<string, number>();
  let client: pg.Client | undefined;

  function dropped(lost: pg.Client, err?: Error): void {
    if (client !== lost) return;
    client = undefined;
    if (held.size) logger.warn({ err, channels: [...held] }, 'lost the channel locks with their connection');
    held.clear();
  }

  async function connection(): Promise<pg.Client> {
    if (client) return client;
    const fresh = new pg.Client(config);
    // Without an error listener a dropped connection would crash the process.
    fresh.on('error', (err) => dropped(fresh, err));
    fresh.on('end', () => dropped(fresh));
    client = fresh;
    try {
      await fresh.connect();
    } catch (err) {
      dropped(fresh);
      throw err;
    }
    return fresh;
  }

  return {
    async acquire(channels) {
      for (const channel of channels) {
        if (held.has(channel) || Date.now() - (triedAt.get(channel) ?? -Infinity) < retryMs) continue;
        triedAt.set(channel, Date.now());
        try {
          const db = await connection();
          const { rows } = await db.query<{ locked: boolean }>(
            'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
            [prefix + channel],
          );
          // Only if the connection that took it is still the current one.
          if (rows[0]?.locked && client === db) {
            held.add(channel);
            logger.info({ channel }, 'this instance now sends on the channel');
          }
        } catch (err) {
          logger.warn({ err, channel }, 'could not try the channel lock');
        }
      }
      return new Set(channels.filter((channel) => held.has(channel)));
    },

    holds: (channel) => held.has(channel),

    async release() {
      const db = client;
      client = undefined;
      held.clear();
      // Closing the session releases its advisory locks.
      await db?.end().catch(() => {});
    },
  };
}
