import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { DbClient } from '../services/db.js';
import { createServices, type ServiceDeps, type Services } from '../services/index.js';
import type { AdminTarget } from '../services/outbox.js';
import { AdminChatError } from './errors.js';
import { type ChatPost, findAdminPost, rememberAdminPost, retargetAdminPost } from './posts.js';
import {
  ADMIN_CHOICE_TOKEN,
  type AdminActionContext,
  type AdminChannelPostContext,
  type AdminChatModule,
  type AdminCommandContext,
  type AdminContext,
  type AdminReplyContext,
  type AdminResult,
  type ChatPhoto,
} from './types.js';

/** Who acted in the coordinators' chat, as Telegram tells it. */
export interface AdminChatUser {
  actorTelegramId: string;
  /** Her Telegram name, kept in the audit label so the log reads without a lookup. */
  actorName?: string;
}

/** A button pressed on a post in the coordinators' chat; `data` is the button's callback data. */
export interface AdminPress extends AdminChatUser {
  chatId: string;
  messageId: string;
  data: string;
}

/** A message in the coordinators' chat that replies to one of the bot's posts. */
export interface AdminReply extends AdminChatUser {
  chatId: string;
  replyToMessageId: string;
  messageId: string;
  text: string;
  /** Keeps the photo the reply came with; called only when a handler takes the reply. */
  photo?: () => Promise<ChatPhoto | undefined>;
}

/** A command in the coordinators' chat: `/name text`, maybe as a photo's caption. */
export interface AdminCommand extends AdminChatUser {
  chatId: string;
  messageId: string;
  /** Without the slash and the bot's @name. */
  name: string;
  text: string;
  /** Keeps the photo the command came with; called only when a module handles the command. */
  photo?: () => Promise<ChatPhoto | undefined>;
}

/** A post published in the coalition's Telegram channel. */
export interface AdminChannelPost {
  channelId: string;
  messageId: string;
  text: string;
  /** Keeps the photo the post came with. */
  photo?: () => Promise<ChatPhoto | undefined>;
}

export interface AdminConsoleDeps {
  prisma: Db;
  serviceDeps: ServiceDeps;
  modules: AdminChatModule[];
  logger: Logger;
  /** Called once a handler's work is committed: its notifications are in the outbox (kick the dispatcher). */
  afterAction?: () => void;
}

const ACTION_DATA = new RegExp(`^${ADMIN_CHOICE_TOKEN}\\|([^:|]+):(.+)$`);

/** Reads `adm|<action>:<targetId>` (what `adminChoice` buttons carry); null for anything else. */
function parseAdminData(data: string): { action: string; targetId: string } | null {
  const match = ACTION_DATA.exec(data);
  return match?.[1] && match[2] ? { action: match[1], targetId: match[2] } : null;
}

/** Merges the modules' handlers by name; two modules claiming one name is a bug, caught at start. */
function collect<H>(tables: (Record<string, H> | undefined)[], what: string): Map<string, H> {
  const merged = new Map<string, H>();
  for (const [name, handler] of tables.flatMap((table) => Object.entries(table ?? {}))) {
    if (merged.has(name)) throw new Error(`Two admin chat modules handle the ${what} "${name}"`);
    merged.set(name, handler);
  }
  return merged;
}

const prismaCode = (err: unknown) =>
  typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;

/**
 * The coordinators' chat console (DESIGN §5, §6): checks on every press and reply that the person is
 * a coordinator, then runs the module's handler inside one transaction with services bound to it, so
 * the decision, its audit entry and its outbox notifications commit together or not at all. Anyone
 * else, forged button data, an unknown action or a refused decision changes nothing and gets a notice.
 */
export function createAdminConsole(deps: AdminConsoleDeps) {
  const { prisma, serviceDeps, logger } = deps;
  const actions = collect(
    deps.modules.map((m) => m.actions),
    'action',
  );
  const replies = collect(
    deps.modules.map((m) => m.replies),
    'reply target',
  );
  const commands = collect(
    deps.modules.map((m) => m.commands),
    'command',
  );
  const channelPosts = deps.modules.flatMap((m) => (m.channelPost ? [m.channelPost] : []));
  if (channelPosts.length > 1) throw new Error('Two admin chat modules handle channel posts');
  const photoReplies = new Set(deps.modules.flatMap((m) => m.photoReplies ?? []));
  const t = serviceDeps.i18n.translator(serviceDeps.i18n.defaultLocale);

  /** The coordinator's contact id, or null when this Telegram user may not coordinate. */
  async function coordinatorId(services: Services, tx: DbClient, telegramUserId: string) {
    if (!(await services.coordinators.isCoordinatorTelegramUser(telegramUserId))) return null;
    const address = await tx.contactChannel.findUnique({
      where: { channel_externalId: { channel: 'telegram', externalId: telegramUserId } },
      select: { contactId: true },
    });
    return address?.contactId ?? null;
  }

  /**
   * The photo she sent, kept only for a coordinator: nobody else makes the bot download anything.
   * Read outside the transaction (the handler checks again inside it, before anything is written).
   */
  async function photoOf(input: AdminReply | AdminCommand): Promise<ChatPhoto | undefined> {
    if (!input.photo) return undefined;
    const { coordinators } = createServices(prisma, serviceDeps);
    if (!(await coordinators.isCoordinatorTelegramUser(input.actorTelegramId))) return undefined;
    return input.photo();
  }

  /** The notice for a refusal the handler raised on purpose; undefined for our own failures. */
  function refusal(err: unknown): string | undefined {
    if (err instanceof AdminChatError) return err.notice ?? t(`admin:${err.code}`);
    if (prismaCode(err) === 'P2025') return t('admin:notFound');
    return undefined;
  }

  /** What the chat is told when a handler failed: its refusal, or a generic notice (logged). */
  function failure(err: unknown, what: string): AdminResult {
    const notice = refusal(err);
    if (notice) return { notice };
    const correlationId = randomUUID();
    logger.error({ err, correlationId, what }, 'a coordinator action failed');
    return { notice: t('admin:failed') };
  }

  async function run(
    user: AdminChatUser,
    post: ChatPost,
    what: string,
    handle: ((ctx: AdminContext) => Promise<AdminResult>) | undefined,
  ): Promise<AdminResult> {
    try {
      const result = await prisma.$transaction(async (tx): Promise<AdminResult> => {
        const services = createServices(tx, serviceDeps);
        const contactId = await coordinatorId(services, tx, user.actorTelegramId);
        if (!contactId) return { notice: t('admin:notCoordinator') };
        if (!handle) return { notice: t('admin:unknownAction') };
        const name = user.actorName?.slice(0, 64);
        const label = `telegram:${user.actorTelegramId}${name ? ` (${name})` : ''}`;
        const actor = { contactId, label, channel: 'telegram-admin-chat' as const };
        const { defaultLocale: locale } = serviceDeps.i18n;
        const decided = await handle({ services, actor, post, t, locale, now: serviceDeps.clock() });
        const { retarget } = decided;
        if (retarget && !(await retargetAdminPost(tx, post, retarget.from, retarget.to)))
          throw new AdminChatError('alreadyHandled');
        logger.info({ what, contactId }, 'coordinator action handled');
        return decided;
      });
      deps.afterAction?.();
      return result;
    } catch (err) {
      return failure(err, what);
    }
  }

  return {
    /** A press on a post's button: runs the action its data names, for a coordinator only. */
    press(input: AdminPress): Promise<AdminResult> {
      const parsed = parseAdminData(input.data);
      const handler = parsed ? actions.get(parsed.action) : undefined;
      const post = { chatId: input.chatId, messageId: input.messageId };
      return run(
        input,
        post,
        parsed?.action ?? 'unknown',
        handler && parsed
          ? (ctx) => handler({ ...ctx, targetId: parsed.targetId } satisfies AdminActionContext)
          : undefined,
      );
    },

    /**
     * A reply to a post: runs the reply handler of the post's target type. Null (nothing to say) when
     * the post is not one the bot recorded, its target takes no replies, or it is a photo without
     * words to a target that takes none: coordinators talk there too.
     */
    async reply(input: AdminReply): Promise<AdminResult | null> {
      const post = { chatId: input.chatId, messageId: input.replyToMessageId };
      const target = await findAdminPost(prisma, post);
      const handler = target ? replies.get(target.type) : undefined;
      if (!target || !handler) return null;
      if (!input.text && !photoReplies.has(target.type)) return null;
      const photo = await photoOf(input);
      return run(input, post, `reply:${target.type}`, (ctx) =>
        handler({ ...ctx, target, text: input.text, photo } satisfies AdminReplyContext),
      );
    },

    /** A command: runs the module's handler, for a coordinator only; null for a command nobody handles. */
    async command(input: AdminCommand): Promise<AdminResult | null> {
      const handler = commands.get(input.name);
      if (!handler) return null;
      const post = { chatId: input.chatId, messageId: input.messageId };
      const photo = await photoOf(input);
      return run(input, post, `command:${input.name}`, (ctx) =>
        handler({ ...ctx, text: input.text, photo } satisfies AdminCommandContext),
      );
    },

    /**
     * A post in the coalition's channel (the adapter checked which channel): what the module makes of
     * it, in one transaction; null when no module takes channel posts or it has nothing to say.
     */
    async channelPost(input: AdminChannelPost): Promise<AdminResult | null> {
      const [handle] = channelPosts;
      if (!handle) return null;
      try {
        const photo = await input.photo?.();
        const { defaultLocale: locale } = serviceDeps.i18n;
        const { channelId, messageId, text } = input;
        return await prisma.$transaction((tx) =>
          handle({
            services: createServices(tx, serviceDeps),
            t,
            locale,
            now: serviceDeps.clock(),
            channelId,
            messageId,
            text,
            photo,
          } satisfies AdminChannelPostContext),
        );
      } catch (err) {
        return failure(err, 'channel-post');
      }
    },

    /** Records a new post (one a handler asked for) so that replies to it reach `target`. */
    remember: (chatId: string, messageId: string, target: AdminTarget): Promise<void> =>
      rememberAdminPost(prisma, { chatId, messageId }, target),
  };
}

export type AdminConsole = ReturnType<typeof createAdminConsole>;
