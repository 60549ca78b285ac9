import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Message, Update, User } from 'grammy/types';

/** One Bot API request as the fake received it. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A Bot API error the fake answers with instead of succeeding. */
export interface FakeFailure {
  error_code: number;
  description: string;
  retry_after?: number;
}

type Reply =
  | { ok: true; result: unknown }
  | ({ ok: false } & Omit<FakeFailure, 'retry_after'> & { parameters?: object });

/** The token the fake accepts by default (others get 401). */
export const FAKE_TOKEN = '123456:TEST-fake-token';
const BOT: User = { id: 123456, is_bot: true, first_name: 'Taawun', username: 'taawun_test_bot' };

/**
 * A fake Telegram Bot API on 127.0.0.1 that records every call and plays the user. Updates are
 * queued for getUpdates (offset and long-poll semantics as Telegram's) or, once `setWebhook` was
 * called, posted to the webhook with its secret header, as Telegram does.
 */
export async function startFakeTelegram(options: { token?: string; maxHoldMs?: number } = {}) {
  const token = options.token ?? FAKE_TOKEN;
  const events = new EventEmitter();
  const calls: RecordedCall[] = [];
  const pending: Update[] = [];
  const sent = new Map<number, Message[]>();
  const groupMessages = new Map<number, Message[]>();
  const failures = new Map<string, FakeFailure[]>();
  const interceptors = new Map<string, (params: Record<string, unknown>) => Promise<void> | void>();
  let webhook: { url: string; secret: string } | undefined;
  let updateId = 1000;
  let messageId = 0;

  function fail(method: string): Reply | undefined {
    const failure = failures.get(method)?.shift();
    if (!failure) return undefined;
    const { retry_after, ...rest } = failure;
    return { ok: false, ...rest, ...(retry_after !== undefined ? { parameters: { retry_after } } : {}) };
  }

  function botMessage(chatId: number, fields: Partial<Message>): Message {
    const message = {
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(chatId),
      from: BOT,
      ...fields,
    } as Message;
    sent.set(chatId, [...(sent.get(chatId) ?? []), message]);
    return message;
  }

  function findMessage(chatId: number, id: number): Message | undefined {
    return sent.get(chatId)?.find((m) => m.message_id === id);
  }

  /** A message in a group, by the bot or by a member (ids are shared in a group, as in Telegram). */
  function findInGroup(chatId: number, id: number): Message | undefined {
    return findMessage(chatId, id) ?? groupMessages.get(chatId)?.find((m) => m.message_id === id);
  }

  /** The message a `reply_parameters` points at, as Telegram returns it in `reply_to_message`. */
  function replyTo(chatId: number, params: Record<string, unknown>): Partial<Message> {
    const target = (params.reply_parameters as { message_id?: number } | undefined)?.message_id;
    const original = target === undefined ? undefined : findInGroup(chatId, target);
    return original ? { reply_to_message: quote(original) } : {};
  }

  async function getUpdates(params: Record<string, unknown>, closed: Promise<void>): Promise<Reply> {
    if (webhook)
      return {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active",
      };
    const offset = typeof params.offset === 'number' ? params.offset : 0;
    while (pending.length && (pending[0]?.update_id ?? 0) < offset) pending.shift();
    if (!pending.length) {
      const holdMs = Math.min(Number(params.timeout ?? 0) * 1000, options.maxHoldMs ?? 1_000);
      await Promise.race([next(events, 'update', holdMs), closed]);
    }
    return { ok: true, result: pending.slice(0, Number(params.limit ?? 100)) };
  }

  function answer(method: string, params: Record<string, unknown>): Reply {
    const chatId = Number(params.chat_id);
    switch (method) {
      case 'getMe':
        return {
          ok: true,
          result: {
            ...BOT,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        };
      case 'sendMessage':
        return {
          ok: true,
          result: botMessage(chatId, {
            text: shownText(params.text, params),
            ...markup(params),
            ...replyTo(chatId, params),
          }),
        };
      case 'sendPhoto':
        return { ok: true, result: botMessage(chatId, photoFields(params)) };
      case 'editMessageReplyMarkup': {
        const message = findMessage(chatId, Number(params.message_id));
        if (!message)
          return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        Object.assign(message, markup(params));
        return { ok: true, result: message };
      }
      case 'editMessageText': {
        const message = findMessage(chatId, Number(params.message_id));
        if (!message)
          return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        // As in Telegram, an edit without reply_markup takes the inline keyboard away.
        delete message.reply_markup;
        Object.assign(message, {
          text: shownText(params.text, params),
          edit_date: Math.floor(Date.now() / 1000),
        });
        Object.assign(message, markup(params));
        return { ok: true, result: message };
      }
      case 'setWebhook':
        webhook = { url: String(params.url), secret: String(params.secret_token ?? '') };
        return { ok: true, result: true };
      case 'deleteWebhook':
        webhook = undefined;
        return { ok: true, result: true };
      case 'answerCallbackQuery':
      case 'setMyCommands':
        return { ok: true, result: true };
      default:
        return { ok: false, error_code: 404, description: 'Not Found: method not found' };
    }
  }

  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.all('/bot:token/:method', async (req, res) => {
    const method = String(req.params.method);
    const params = (req.body ?? {}) as Record<string, unknown>;
    if (req.params.token !== token) {
      res.status(401).json({ ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    calls.push({ method, params, at: Date.now() });
    events.emit('call', method);
    await interceptors.get(method)?.(params);
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    const reply =
      fail(method) ?? (method === 'getUpdates' ? await getUpdates(params, closed) : answer(method, params));
    res.status(reply.ok ? 200 : reply.error_code).json(reply);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** `userId` presses a button on the bot's message `messageId` in chat `chatId` (hers, or a group). */
  function press(chatId: number, userId: number, messageId: number, callbackData: string) {
    const message = findMessage(chatId, messageId);
    if (!message) throw new Error(`the bot sent no message ${messageId} to ${chatId}`);
    return push({
      callback_query: {
        id: `cq${updateId + 1}`,
        from: user(userId),
        message,
        chat_instance: `ci${chatId}`,
        data: callbackData,
      },
    } as Omit<Update, 'update_id'>);
  }

  /** Telegram's side of a user action: queued for getUpdates, or posted to the webhook if one is set. */
  async function push(fields: Omit<Update, 'update_id'>): Promise<{ update: Update; status?: number }> {
    const update = { update_id: ++updateId, ...fields } as Update;
    if (webhook) return { update, status: await deliverWebhook(webhook.url, webhook.secret, update) };
    pending.push(update);
    events.emit('update');
    return { update };
  }

  /** Posts an update to a webhook as Telegram does (with the secret header); returns the HTTP status. */
  async function deliverWebhook(url: string, secret: string, update: Update): Promise<number> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  }

  const callsTo = (method: string) => calls.filter((c) => c.method === method);
  const groupMessage = (chatId: number, userId: number, fields: Partial<Message>) => {
    const message = {
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(chatId),
      from: user(userId),
      ...fields,
    } as Message;
    groupMessages.set(chatId, [...(groupMessages.get(chatId) ?? []), message]);
    return message as Update['message'];
  };
  let userMessageId = 0;
  const incoming = (userId: number, fields: Partial<Message>) => ({
    message: {
      message_id: ++userMessageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'Amal', last_name: 'Test' },
      from: user(userId),
      ...fields,
    } as Update['message'],
  });

  return {
    apiRoot,
    token,
    calls,
    callsTo,
    /** Every message the bot sent to a chat, oldest first (edits applied). */
    messagesTo: (chatId: number) => sent.get(chatId) ?? [],
    lastMessageTo: (chatId: number) => sent.get(chatId)?.at(-1),
    /** Updates not yet confirmed by a getUpdates offset. */
    pendingUpdates: () => [...pending],
    /** The next `count` calls of `method` fail with `failure`. */
    failNext(method: string, count: number, failure: FakeFailure) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<FakeFailure>(count).fill(failure)]);
    },
    /** Runs `check` when a call of `method` arrives, before the fake answers it. */
    intercept(method: string, check: (params: Record<string, unknown>) => Promise<void> | void) {
      interceptors.set(method, check);
    },
    /** Resolves with the calls of `method` once there are at least `count`. */
    async waitForCalls(method: string, count: number, timeoutMs = 5_000): Promise<RecordedCall[]> {
      const deadline = Date.now() + timeoutMs;
      while (callsTo(method).length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `waited ${timeoutMs} ms for ${count} ${method} call(s); got ${callsTo(method).length}`,
          );
        await next(events, 'call', left);
      }
      return callsTo(method);
    },
    sendText: (userId: number, text: string) =>
      push(incoming(userId, { text, ...(text.startsWith('/') ? { entities: [command(text)] } : {}) })),
    sendPhoto: (userId: number, fileIds: string[], caption?: string) =>
      push(
        incoming(userId, {
          photo: fileIds.map((id, i) => photoSize(id, i)),
          ...(caption ? { caption } : {}),
        }),
      ),
    /** Shares a contact card; `ownerId` other than the sender means a forwarded card. */
    sendContact: (userId: number, phone: string, ownerId = userId) =>
      push(incoming(userId, { contact: { phone_number: phone, first_name: 'Amal', user_id: ownerId } })),
    /** The user presses a button on the bot's message `messageId` in her private chat. */
    pressButton: (userId: number, messageId: number, callbackData: string) =>
      press(userId, userId, messageId, callbackData),
    /** A member's text message in a group chat (negative id); returns the update with its message. */
    sendTextInChat(chatId: number, userId: number, text: string) {
      return push({ message: groupMessage(chatId, userId, { text }) });
    },
    /** A member presses a button on the bot's message `messageId` in a group chat. */
    pressButtonInChat: press,
    /** A member replies in a group chat to message `replyToMessageId` (the bot's or a member's). */
    replyInChat(chatId: number, userId: number, replyToMessageId: number, text: string) {
      const original = findInGroup(chatId, replyToMessageId);
      if (!original) throw new Error(`no message ${replyToMessageId} in ${chatId}`);
      return push({ message: groupMessage(chatId, userId, { text, reply_to_message: quote(original) }) });
    },
    deliverWebhook,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

/** Resolves at the next `event` or after `ms`, whichever comes first, leaving no listener behind. */
function next(emitter: EventEmitter, event: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    emitter.on(event, done);
  });
}
/** The text a user sees: with HTML parse mode, tags dropped and the reserved characters unescaped. */
function shownText(text: unknown, params: Record<string, unknown>): string {
  if (params.parse_mode !== 'HTML') return String(text);
  return String(text)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
/** A message as Telegram nests it in `reply_to_message`: without its own reply. */
function quote(message: Message): Message['reply_to_message'] {
  const { reply_to_message: _, ...quoted } = message;
  return quoted as Message['reply_to_message'];
}
/** Negative ids are groups (the coordinators' chat), as in Telegram; positive ones private chats. */
const chatOf = (chatId: number) =>
  chatId < 0
    ? { id: chatId, type: 'supergroup' as const, title: 'Coordinators' }
    : { id: chatId, type: 'private' as const, first_name: 'User' };
const user = (id: number): User => ({
  id,
  is_bot: false,
  first_name: 'Amal',
  last_name: 'Test',
  language_code: 'ar',
});
const command = (text: string) => ({
  type: 'bot_command' as const,
  offset: 0,
  length: text.split(' ')[0]?.length ?? 0,
});
const photoSize = (fileId: string, i: number) => ({
  file_id: fileId,
  file_unique_id: `u-${fileId}`,
  width: 90 * 2 ** i,
  height: 60 * 2 ** i,
});
const markup = (params: Record<string, unknown>) =>
  (params.reply_markup ? { reply_markup: params.reply_markup } : {}) as Partial<Message>;

function photoFields(params: Record<string, unknown>): Partial<Message> {
  return {
    photo: [photoSize(String(params.photo), 0)],
    ...(params.caption ? { caption: String(params.caption) } : {}),
    ...markup(params),
  } as Partial<Message>;
}
