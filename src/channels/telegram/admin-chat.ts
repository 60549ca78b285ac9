import { type Api, Composer, type Context } from 'grammy';
import type { Chat, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message, User } from 'grammy/types';
import type { Logger } from 'pino';
import type { AdminConsole } from '../../admin-chat/console.js';
import type { AdminResult, ChatPhoto } from '../../admin-chat/types.js';
import type { OutboundMessage } from '../../core/message.js';
import { createInboundMediaResolver } from '../../media/inbound.js';
import type { ChannelMediaFetcher, MediaStore } from '../../media/types.js';
import { describeError } from './polling.js';
import { escapeHtml } from './render.js';
import { photoOf } from './translate.js';

/** The coordinators' chat: its id (TELEGRAM_ADMIN_CHAT_ID) and the console that decides there. */
export interface TelegramAdminChat {
  chatId: string;
  console: AdminConsole;
  /** The coalition's channel (TELEGRAM_BROADCAST_CHANNEL_ID): its posts are offered for relaying. */
  broadcastChannelId?: string;
}

export interface AdminChatOptions extends TelegramAdminChat {
  /** The adapter's renderer: sends a message (optionally as a reply) and returns its last message id. */
  send: (chatId: number, message: OutboundMessage, replyTo?: number) => Promise<number>;
  /** The adapter's editor: replaces a text post's words and buttons. */
  edit: (chatId: number, messageId: number, message: OutboundMessage) => Promise<void>;
  /** Where a photo sent with a command or a reply is kept; without it such photos are refused. */
  media?: MediaStore;
  mediaFetcher: ChannelMediaFetcher;
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

const isChannel = (chat: Chat | undefined, chatId: string) =>
  chat?.type === 'channel' && String(chat.id) === chatId;

/** A command opening a message (`/broadcast@bot …`): its name and the words after it; null otherwise. */
function commandOf(message: Message, botUsername: string): { name: string; text: string } | null {
  const text = message.text ?? message.caption ?? '';
  const entity = (message.entities ?? message.caption_entities)?.find(
    (e) => e.type === 'bot_command' && e.offset === 0,
  );
  if (!entity) return null;
  const [name = '', addressee] = text.slice(1, entity.length).split('@');
  if (addressee && addressee.toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name, text: text.slice(entity.length).trim() };
}

/** Keeps the photo a coordinator sent (as a photo or as a file) in the media store, or says why not. */
function photoKeeper(options: Pick<AdminChatOptions, 'media' | 'mediaFetcher' | 'logger'>) {
  const resolver = options.media
    ? createInboundMediaResolver({ store: options.media, logger: options.logger })
    : undefined;
  resolver?.register('telegram', options.mediaFetcher);
  return async (message: Message): Promise<ChatPhoto | undefined> => {
    const photo = photoOf(message);
    if (!photo) return undefined;
    if (!resolver) return { rejected: 'photo_unavailable' };
    const kept = await resolver.resolve(photo);
    if (kept.kind === 'photo' && kept.media.kind === 'stored') return { mediaId: kept.media.mediaId };
    const reason = kept.kind === 'unsupported' ? kept.reason : 'photo_unavailable';
    return { rejected: reason === 'message_type' ? 'photo_unavailable' : reason };
  };
}

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
 * notice; a message replying to one of the bot's posts, or a command a module handles (`/broadcast`),
 * goes to the console and its notice is sent as a reply; a photo with it is kept first. Then the
 * result is applied: the post edited, a new post sent (and remembered with its target). Other
 * messages and commands in the group are ignored. A post in the coalition's channel goes to the
 * console too (its photo kept first), and what it makes of it is posted in the coordinators' chat.
 */
export function adminChatComposer(options: AdminChatOptions): Composer<Context> {
  const { console: adminConsole, logger } = options;
  const composer = new Composer<Context>();
  const chat = composer.filter((ctx) => isAdminChat(ctx.chat, options.chatId));
  const keepPhoto = photoKeeper(options);

  async function apply(api: Api, chatId: number, post: Post, result: AdminResult, replyTo: number) {
    const { update } = result;
    const updating = update?.replace
      ? options.edit(chatId, post.message_id, update.replace)
      : update && updatePost(api, chatId, post, update);
    await updating?.catch((err) =>
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
    const command = commandOf(message, ctx.me.username);
    // A photo without a caption is a reply too: the handler says what is missing.
    const replyToBot = original?.from?.id === ctx.me.id && (text !== undefined || photoOf(message) !== null);
    if (!message.from || (!command && !replyToBot)) return;
    const user = {
      actorTelegramId: String(message.from.id),
      actorName: nameOf(message.from),
      chatId: String(ctx.chat.id),
      messageId: String(message.message_id),
      photo: () => keepPhoto(message),
    };
    const result = command
      ? await adminConsole.command({ ...user, ...command })
      : await adminConsole.reply({
          ...user,
          replyToMessageId: String(original?.message_id),
          text: text ?? '',
        });
    if (!result) return;
    if (result.notice) await options.send(ctx.chat.id, { text: result.notice }, message.message_id);
    const post = original && !command ? postOf(original) : { message_id: message.message_id };
    await apply(ctx.api, ctx.chat.id, post, result, message.message_id);
  });

  // Only the coalition's channel: posts of any other channel where the bot is an admin are ignored.
  composer
    .filter(
      (ctx) => options.broadcastChannelId !== undefined && isChannel(ctx.chat, options.broadcastChannelId),
    )
    .on('channel_post', async (ctx) => {
      const message = ctx.channelPost;
      const result = await adminConsole.channelPost({
        channelId: String(message.chat.id),
        messageId: String(message.message_id),
        text: message.text ?? message.caption ?? '',
        photo: () => keepPhoto(message),
      });
      const chatId = Number(options.chatId);
      if (result?.notice) await options.send(chatId, { text: result.notice });
      if (result?.post) {
        const messageId = await options.send(chatId, result.post.message);
        if (result.post.target)
          await adminConsole.remember(options.chatId, String(messageId), result.post.target);
      }
    });

  return composer;
}
