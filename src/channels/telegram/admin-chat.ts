import { type Api, Composer, type Context } from 'grammy';
import type { Chat, InlineKeyboardMarkup, MaybeInaccessibleMessage, User } from 'grammy/types';
import type { Logger } from 'pino';
import type { AdminConsole } from '../../admin-chat/console.js';
import type { AdminResult } from '../../admin-chat/types.js';
import type { OutboundMessage } from '../../core/message.js';
import { describeError } from './polling.js';
import { escapeHtml } from './render.js';

/** The coordinators' chat: its id (TELEGRAM_ADMIN_CHAT_ID) and the console that decides there. */
export interface TelegramAdminChat {
  chatId: string;
  console: AdminConsole;
}

export interface AdminChatOptions extends TelegramAdminChat {
  /** The adapter's renderer: sends a message (optionally as a reply) and returns its last message id. */
  send: (chatId: number, message: OutboundMessage, replyTo?: number) => Promise<number>;
  logger: Logger;
}

/** Telegram shows at most 200 characters in a callback answer. */
const NOTICE_LIMIT = 200;

/** The parts of a bot post that an update changes. */
interface Post {
  message_id: number;
  text?: string;
  caption?: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** An inaccessible message (too old for Telegram to show) has date 0 and nothing else to change. */
function postOf(message: MaybeInaccessibleMessage): Post {
  if (message.date === 0) return { message_id: message.message_id };
  const { message_id, text, caption, reply_markup } = message;
  return { message_id, text, caption, reply_markup };
}

const nameOf = (user: User) => [user.first_name, user.last_name].filter(Boolean).join(' ') || undefined;

const isAdminChat = (chat: Chat | undefined, chatId: string) =>
  (chat?.type === 'group' || chat?.type === 'supergroup') && String(chat.id) === chatId;

/** Adds the line to the post's text (or caption) and/or takes its buttons away, as the result asks. */
async function updatePost(api: Api, chatId: number, post: Post, update: NonNullable<AdminResult['update']>) {
  const keep = !update.removeChoices && post.reply_markup ? { reply_markup: post.reply_markup } : {};
  const body = post.text ?? post.caption;
  if (update.appendLine && body !== undefined) {
    const text = escapeHtml(`${body}\n${update.appendLine}`);
    const other = { parse_mode: 'HTML' as const, ...keep };
    if (post.text !== undefined) await api.editMessageText(chatId, post.message_id, text, other);
    else await api.editMessageCaption(chatId, post.message_id, { caption: text, ...other });
  } else if (update.removeChoices) {
    await api.editMessageReplyMarkup(chatId, post.message_id, { reply_markup: { inline_keyboard: [] } });
  }
}

/**
 * The Telegram side of the coordinators' chat (DESIGN §6). Only updates from that group reach it;
 * private chats pass through untouched. A button press goes to the console and is answered with its
 * notice; a message replying to one of the bot's posts goes to the console and its notice is sent as
 * a reply. Then the result is applied: the post edited, a new post sent (and remembered with its
 * target). Other messages and commands in the group are ignored.
 */
export function adminChatComposer(options: AdminChatOptions): Composer<Context> {
  const { console: adminConsole, logger } = options;
  const composer = new Composer<Context>();
  const chat = composer.filter((ctx) => isAdminChat(ctx.chat, options.chatId));

  async function apply(api: Api, chatId: number, post: Post, result: AdminResult, replyTo: number) {
    if (result.update)
      await updatePost(api, chatId, post, result.update).catch((err) =>
        logger.warn(describeError(err), 'updating a post in the coordinators chat failed'),
      );
    if (result.post) {
      const messageId = await options.send(chatId, result.post.message, replyTo);
      if (result.post.target)
        await adminConsole.remember(String(chatId), String(messageId), result.post.target);
    }
  }

  chat.on('callback_query:data', async (ctx) => {
    const message = ctx.callbackQuery.message;
    const chatId = ctx.chat?.id;
    if (!message || chatId === undefined) return ctx.answerCallbackQuery();
    const result = await adminConsole.press({
      actorTelegramId: String(ctx.from.id),
      actorName: nameOf(ctx.from),
      chatId: String(chatId),
      messageId: String(message.message_id),
      data: ctx.callbackQuery.data,
    });
    const notice = result.notice?.slice(0, NOTICE_LIMIT);
    await ctx
      .answerCallbackQuery(notice ? { text: notice } : undefined)
      .catch((err) => logger.debug(describeError(err), 'answerCallbackQuery failed'));
    await apply(ctx.api, chatId, postOf(message), result, message.message_id);
  });

  chat.on('message', async (ctx) => {
    const message = ctx.message;
    const original = message.reply_to_message;
    const text = message.text ?? message.caption;
    const command = message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0);
    if (!original || original.from?.id !== ctx.me.id || text === undefined || command || !message.from)
      return;
    const result = await adminConsole.reply({
      actorTelegramId: String(message.from.id),
      actorName: nameOf(message.from),
      chatId: String(ctx.chat.id),
      replyToMessageId: String(original.message_id),
      messageId: String(message.message_id),
      text,
    });
    if (!result) return;
    if (result.notice) await options.send(ctx.chat.id, { text: result.notice }, message.message_id);
    await apply(ctx.api, ctx.chat.id, postOf(original), result, message.message_id);
  });

  return composer;
}
