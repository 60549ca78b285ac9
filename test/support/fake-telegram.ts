import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Message, Update, User } from 'grammy/types';
import { createFakeRateLimit, type FakeRateLimits } from './fake-rate-limit.js';

/** One Bot API request as the fake received it. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A file sent to the fake with grammY's `InputFile` (multipart/form-data). */
export interface RecordedUpload {
  method: string;
  chatId: number;
  /** The file id the fake gave it (the largest size of a photo). */
  fileId: string;
  bytes: Buffer;
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

/** Fields grammY sends as JSON inside a multipart body. */
const JSON_FIELDS = new Set(['reply_markup', 'reply_parameters', 'caption_entities']);

/** The token the fake accepts by default (others get 401). */
export const FAKE_TOKEN = '123456:TEST-fake-token';
const BOT: User = { id: 123456, is_bot: true, first_name: 'Taawun', username: 'taawun_test_bot' };

/**
 * A fake Telegram Bot API on 127.0.0.1 that records every call and plays the user. Updates are
 * queued for getUpdates (offset and long-poll semantics as Telegram's) or, once `setWebhook` was
 * called, posted to the webhook with its secret header, as Telegram does.
 */
export async function startFakeTelegram(
  options: { token?: string; maxHoldMs?: number; limits?: FakeRateLimits } = {},
) {
  const token = options.token ?? FAKE_TOKEN;
  /** With `limits`, sends over Telegram's flood limits are refused with a 429, as Telegram does. */
  const rateLimit = options.limits ? createFakeRateLimit(options.limits) : undefined;
  const events = new EventEmitter();
  const calls: RecordedCall[] = [];
  const pending: Update[] = [];
  const sent = new Map<number, Message[]>();
  const groupMessages = new Map<number, Message[]>();
  const failures = new Map<string, FakeFailure[]>();
  /** Chats every send to fails (a user who blocked the bot). */
  const chatFailures = new Map<number, FakeFailure>();
  const interceptors = new Map<string, (params: Record<string, unknown>) => Promise<void> | void>();
  let webhook: { url: string; secret: string } | undefined;
  let updateId = 1000;
  let messageId = 0;
  /** Files users sent or the bot uploaded, by file id; `hideSize` leaves `file_size` out of getFile. */
  const files = new Map<string, { bytes: Buffer; path: string; hideSize?: boolean }>();
  const uploads: RecordedUpload[] = [];
  /** Paths of the files downloaded from `/file/bot<token>/<path>`, in order. */
  const downloads: string[] = [];
  let fileSeq = 0;

  function addFile(bytes: Buffer, options: { hideSize?: boolean; ext?: string } = {}): string {
    const fileId = `file-${++fileSeq}-${Math.random().toString(36).slice(2, 8)}`;
    files.set(fileId, { bytes, path: `photos/file_${fileSeq}.${options.ext ?? 'jpg'}`, ...options });
    return fileId;
  }

  /** Telegram's answer to getFile: the size (unless hidden) and the path to download it from. */
  function fileInfo(params: Record<string, unknown>): Reply {
    const fileId = String(params.file_id);
    const file = files.get(fileId);
    if (!file) return { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
    const size = file.hideSize ? {} : { file_size: file.bytes.length };
    return {
      ok: true,
      result: { file_id: fileId, file_unique_id: `u-${fileId}`, ...size, file_path: file.path },
    };
  }

  /** A multipart call (grammY's InputFile): fields as params, each attached file kept as a new file id. */
  function readMultipart(method: string, body: Buffer, contentType: string): Record<string, unknown> {
    const parts = parseMultipart(body, contentType);
    const params: Record<string, unknown> = {};
    for (const part of parts.filter((p) => p.filename === undefined)) {
      const value = part.data.toString('utf8');
      params[part.name] = JSON_FIELDS.has(part.name) ? JSON.parse(value) : value;
    }
    for (const [field, value] of Object.entries(params)) {
      const attached =
        typeof value === 'string' && value.startsWith('attach://') ? value.slice(9) : undefined;
      const file = attached ? parts.find((p) => p.name === attached) : undefined;
      if (!file) continue;
      const fileId = addFile(file.data);
      uploads.push({ method, chatId: Number(params.chat_id), fileId, bytes: file.data });
      params[field] = { uploaded: fileId };
    }
    return params;
  }

  function fail(method: string, params: Record<string, unknown>): Reply | undefined {
    const forChat = method.startsWith('send') ? chatFailures.get(Number(params.chat_id)) : undefined;
    const failure =
      failures.get(method)?.shift() ??
      forChat ??
      (method.startsWith('send') ? rateLimit?.refuse(Number(params.chat_id)) : undefined);
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
        return {
          ok: true,
          result: botMessage(chatId, { ...photoFields(params), ...replyTo(chatId, params) }),
        };
      case 'getFile':
        return fileInfo(params);
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
      case 'editMessageCaption': {
        const message = findMessage(chatId, Number(params.message_id));
        if (!message?.photo)
          return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        delete message.reply_markup;
        Object.assign(message, {
          caption: shownText(params.caption ?? '', params),
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
  app.use(
    express.raw({ type: 'multipart/form-data', limit: '60mb' }),
    express.json(),
    express.urlencoded({ extended: false }),
  );
  app.get('/file/bot:token/*path', (req, res) => {
    const filePath = (req.params.path as unknown as string[]).join('/');
    const file = [...files.values()].find((f) => f.path === filePath);
    if (req.params.token !== token || !file) {
      res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    downloads.push(filePath);
    res.type('application/octet-stream').send(file.bytes);
  });
  app.all('/bot:token/:method', async (req, res) => {
    const method = String(req.params.method);
    const params = Buffer.isBuffer(req.body)
      ? readMultipart(method, req.body, String(req.headers['content-type']))
      : ((req.body ?? {}) as Record<string, unknown>);
    if (req.params.token !== token) {
      res.status(401).json({ ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    calls.push({ method, params, at: Date.now() });
    events.emit('call', method);
    await interceptors.get(method)?.(params);
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    const reply =
      fail(method, params) ??
      (method === 'getUpdates' ? await getUpdates(params, closed) : answer(method, params));
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
    /** Sends refused with a 429 for breaking `limits`. */
    rateLimited: () => rateLimit?.refused() ?? 0,
    /** Updates not yet confirmed by a getUpdates offset. */
    pendingUpdates: () => [...pending],
    /** The next `count` calls of `method` fail with `failure`. */
    /** Every send (`sendMessage`, `sendPhoto`…) to `chatId` fails with `failure` from now on. */
    failSendsTo(chatId: number, failure: FakeFailure) {
      chatFailures.set(chatId, failure);
    },
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
    /** Telegram hands over an update it already gave (same update_id), as after a lost getUpdates offset. */
    redeliver: (update: Update) => push(update),
    /** Keeps `bytes` as a file users can send (`sendPhoto`, `sendDocument`); returns its file id. */
    addFile,
    /** Files the bot uploaded (grammY InputFile), oldest first. */
    uploads,
    /** Paths of files the bot downloaded, oldest first. */
    downloads,
    sendPhoto: (userId: number, fileIds: string[], caption?: string) =>
      push(
        incoming(userId, {
          photo: fileIds.map((id, i) => photoSize(id, i)),
          ...(caption ? { caption } : {}),
        }),
      ),
    /** Sends a file "as a document" (how people send photos uncompressed, or a PDF). */
    sendDocument: (
      userId: number,
      fileId: string,
      document: { mime_type?: string; file_name?: string } = {},
    ) =>
      push(incoming(userId, { document: { file_id: fileId, file_unique_id: `u-${fileId}`, ...document } })),
    /** Any other message of hers (a voice note, a sticker, a location…), given by its fields. */
    sendMessageWith: (userId: number, fields: Partial<Message>) => push(incoming(userId, fields)),
    /** Shares a contact card; `ownerId` other than the sender means a forwarded card. */
    sendContact: (userId: number, phone: string, ownerId = userId) =>
      push(incoming(userId, { contact: { phone_number: phone, first_name: 'Amal', user_id: ownerId } })),
    /** The user presses a button on the bot's message `messageId` in her private chat. */
    pressButton: (userId: number, messageId: number, callbackData: string) =>
      press(userId, userId, messageId, callbackData),
    /** A member's text message in a group chat (negative id); returns the update with its message. */
    sendTextInChat(chatId: number, userId: number, text: string) {
      const entities = text.startsWith('/') ? { entities: [command(text)] } : {};
      return push({ message: groupMessage(chatId, userId, { text, ...entities }) });
    },
    /** A member's photo in a group chat, its caption a command (`/broadcast …`) or not. */
    sendPhotoInChat(chatId: number, userId: number, fileIds: string[], caption: string) {
      const entities = caption.startsWith('/') ? { caption_entities: [command(caption)] } : {};
      const photo = fileIds.map((id, i) => photoSize(id, i));
      return push({ message: groupMessage(chatId, userId, { photo, caption, ...entities }) });
    },
    /** Any message of a member in a group chat, given by its fields; `replyTo` makes it a reply. */
    messageInChat(chatId: number, userId: number, fields: Partial<Message>, replyTo?: number) {
      const original = replyTo === undefined ? undefined : findInGroup(chatId, replyTo);
      if (replyTo !== undefined && !original) throw new Error(`no message ${replyTo} in ${chatId}`);
      const reply = original ? { reply_to_message: quote(original) } : {};
      return push({ message: groupMessage(chatId, userId, { ...fields, ...reply }) });
    },
    /** A post published in channel `chatId`: words, or photo file ids with an optional caption. */
    channelPost(chatId: number, content: string | { fileIds: string[]; caption?: string }) {
      const fields =
        typeof content === 'string'
          ? { text: content }
          : { photo: content.fileIds.map((id, i) => photoSize(id, i)), caption: content.caption };
      const chat = { id: chatId, type: 'channel' as const, title: 'Coalition' };
      const date = Math.floor(Date.now() / 1000);
      return push({ channel_post: { message_id: ++messageId, date, chat, sender_chat: chat, ...fields } });
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
  // Telegram ends a command at any whitespace: `/event` then a newline is a command too.
  length: text.split(/\s/)[0]?.length ?? 0,
});
const photoSize = (fileId: string, i: number) => ({
  file_id: fileId,
  file_unique_id: `u-${fileId}`,
  width: 90 * 2 ** i,
  height: 60 * 2 ** i,
});
const markup = (params: Record<string, unknown>) =>
  (params.reply_markup ? { reply_markup: params.reply_markup } : {}) as Partial<Message>;

/** A sent photo as Telegram returns it: an uploaded one gets a small size and its largest under a new id. */
function photoFields(params: Record<string, unknown>): Partial<Message> {
  const uploaded = (params.photo as { uploaded?: string } | undefined)?.uploaded;
  return {
    photo: uploaded
      ? [photoSize(`${uploaded}-thumb`, 0), photoSize(uploaded, 4)]
      : [photoSize(String(params.photo), 0)],
    ...(params.caption ? { caption: shownText(params.caption, params) } : {}),
    ...markup(params),
  } as Partial<Message>;
}

/** One part of a multipart/form-data body. */
interface FormPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts, bytes untouched. grammY writes its
 * headers without spaces and the filename unquoted, which this reads as well as the usual form.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: FormPart[] = [];
  // The first delimiter has no CRLF before it; prefixing one makes every delimiter look the same.
  const data = Buffer.concat([Buffer.from('\r\n'), body]);
  let at = data.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (data.subarray(start, start + 2).toString() === '--') break;
    const next = data.indexOf(delimiter, start);
    if (next === -1) throw new Error('multipart body without its closing delimiter');
    const part = data.subarray(start + 2, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new Error(`a multipart part without a name: ${headers}`);
    const filename = /;\s*filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
    parts.push({
      name,
      ...(filename ? { filename: filename[1] ?? filename[2] } : {}),
      data: part.subarray(headerEnd + 4),
    });
    at = next;
  }
  return parts;
}
