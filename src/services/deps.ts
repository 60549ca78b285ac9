import type { DbProvider } from '../db/url.js';
import type { I18n } from '../i18n/i18n.js';

/** What services need besides the database: words for notifications, where coordinators read, the time. */
export interface ServiceDeps {
  i18n: I18n;
  /** The coordinators' Telegram chat; without it, posts for coordinators are not queued. */
  adminChatId?: string;
  clock: () => Date;
  /** Which database the client talks to: search uses FTS5 on SQLite and trigram indexes on PostgreSQL. */
  dbProvider: DbProvider;
  /** Products wait for a coordinator's approval before buyers see them (PRODUCT_MODERATION, default on). */
  productModeration: boolean;
}
