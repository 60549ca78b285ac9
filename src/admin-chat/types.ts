import type { Choice, OutboundMessage } from '../core/message.js';
import type { Locale, Translate } from '../i18n/i18n.js';
import type { MediaRejection } from '../media/types.js';
import type { Services } from '../services/index.js';
import type { AdminTarget } from '../services/outbox.js';

/**
 * The coordinators' chat (DESIGN §6): the bot posts pending work there with buttons; coordinators
 * press them or reply to the post. Feature modules say what each button and each reply does; the
 * console checks that the person is a coordinator and runs the module inside one transaction.
 */

/** Buttons on coordinators' posts carry this token instead of a conversation step token. */
export const ADMIN_CHOICE_TOKEN = 'adm';

/** A button on a coordinators' post: `action` names a module's handler, `targetId` what it acts on. */
export function adminChoice(action: string, targetId: string, label: string): Choice {
  return { id: `${action}:${targetId}`, label };
}

/** The coordinator who pressed or replied, as the audit log records her. */
export interface AdminActor {
  contactId: string;
  label: string;
  channel: 'telegram-admin-chat';
}

export interface AdminContext {
  /** Services bound to the console's transaction: everything a handler writes commits together. */
  services: Services;
  actor: AdminActor;
  /** The post that was pressed or replied to. */
  post: { chatId: string; messageId: string };
  /** In the chat's language (DEFAULT_LOCALE). */
  t: Translate;
  /** The chat's language, for what `t` does not format (governorate names, dates). */
  locale: Locale;
  now: Date;
}

export interface AdminActionContext extends AdminContext {
  targetId: string;
}

/** A photo sent with a command or a reply: kept in the media store, or why it was not. */
export type ChatPhoto = { mediaId: string } | { rejected: MediaRejection };

export interface AdminReplyContext extends AdminContext {
  target: AdminTarget;
  text: string;
  photo?: ChatPhoto;
}

/** A command in the chat (`/broadcast …`): the words after it, and a photo it came with. */
export interface AdminCommandContext extends AdminContext {
  text: string;
  photo?: ChatPhoto;
}

/** A post published in the coalition's Telegram channel: nobody in the chat acted yet. */
export interface AdminChannelPostContext extends Pick<AdminContext, 'services' | 't' | 'locale' | 'now'> {
  channelId: string;
  messageId: string;
  text: string;
  photo?: ChatPhoto;
}

/** What the chat shows after a press or reply. Every field is optional. */
export interface AdminResult {
  /** A short notice: the answer to a press (a toast), or a reply to a reply. */
  notice?: string;
  /**
   * Changes to the pressed/replied post: a line added (e.g. "✅ approved by …") and/or its buttons
   * removed, or its text and buttons replaced (a post that walks through steps, like a broadcast's).
   */
  update?: { appendLine?: string; removeChoices?: boolean; replace?: OutboundMessage };
  /** A new post in the chat, replying to the pressed one; with `target`, replies to it reach that target. */
  post?: { message: OutboundMessage; target?: AdminTarget };
  /**
   * The replied-to question is answered: replies to it reach `to` from now on. Applied in the
   * handler's transaction only while the post still leads to `from`, so two replies at once cannot
   * both answer it.
   */
  retarget?: { from: AdminTarget; to: AdminTarget };
}

/** One feature's part of the coordinators' chat. */
export interface AdminChatModule {
  /** Button handlers by action name (the part of the choice id before ':'), e.g. `cooperative.approve`. */
  actions?: Record<string, (ctx: AdminActionContext) => Promise<AdminResult>>;
  /** Reply handlers by the target type of the post replied to, e.g. `funding-request`. */
  replies?: Record<string, (ctx: AdminReplyContext) => Promise<AdminResult>>;
  /** Reply targets that take a photo sent without words; elsewhere such a reply is left alone. */
  photoReplies?: string[];
  /** Command handlers by name without the slash, e.g. `broadcast` for `/broadcast …`. */
  commands?: Record<string, (ctx: AdminCommandContext) => Promise<AdminResult>>;
  /** What a post in the coalition's channel becomes in the chat (one module at most); null: nothing. */
  channelPost?: (ctx: AdminChannelPostContext) => Promise<AdminResult | null>;
}
