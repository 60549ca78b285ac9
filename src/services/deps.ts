import type { I18n } from '../i18n/i18n.js';

/** What services need besides the database: words for notifications, where coordinators read, the time. */
export interface ServiceDeps {
  i18n: I18n;
  /** The coordinators' Telegram chat; without it, posts for coordinators are not queued. */
  adminChatId?: string;
  clock: () => Date;
}
