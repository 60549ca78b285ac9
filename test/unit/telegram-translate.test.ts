import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { translateUpdate } from '../../src/channels/telegram/translate.js';
import type { InboundMessage } from '../../src/core/message.js';

const USER = 4201;

describe('translateUpdate', () => {
  const from = { id: USER, is_bot: false, first_name: 'أمل', last_name: 'سالم', language_code: 'ar' };
  const chat = { id: USER, type: 'private', first_name: 'أمل' };
  const message = (fields: object) => ({ message_id: 1, date: 0, chat, from, ...fields });
  const contentOf = (update: object) =>
    translateUpdate({ update_id: 9, ...update } as Update)?.content ?? null;

  it.each<[string, object, InboundMessage['content'] | null]>([
    ['text', { message: message({ text: 'مرحبا' }) }, { kind: 'text', text: 'مرحبا' }],
    [
      'a choice press',
      {
        callback_query: {
          id: 'q',
          from,
          chat_instance: 'c',
          data: 'tk|continue',
          message: message({ text: 'x' }),
        },
      },
      { kind: 'choice', choiceId: 'continue', token: 'tk' },
    ],
    [
      'a press without a token',
      {
        callback_query: {
          id: 'q',
          from,
          chat_instance: 'c',
          data: '|nav:menu',
          message: message({ text: 'x' }),
        },
      },
      { kind: 'choice', choiceId: 'nav:menu' },
    ],
    [
      'a page press',
      { callback_query: { id: 'q', from, chat_instance: 'c', data: 'pg:1', message: message({}) } },
      null,
    ],
    [
      'the largest photo size',
      {
        message: message({
          caption: 'فخار',
          photo: [
            { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
            { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853 },
            { file_id: 'medium', file_unique_id: 'm', width: 320, height: 213 },
          ],
        }),
      },
      { kind: 'photo', media: { kind: 'channel', channel: 'telegram', fileId: 'large' }, caption: 'فخار' },
    ],
    [
      'her own contact',
      { message: message({ contact: { phone_number: '970599123456', first_name: 'أمل', user_id: USER } }) },
      { kind: 'contact', phone: '+970599123456' },
    ],
    [
      'someone else’s contact',
      { message: message({ contact: { phone_number: '1', first_name: 'x', user_id: 5 } }) },
      null,
    ],
    [
      'a group message',
      { message: message({ text: 'hi', chat: { id: -100, type: 'group', title: 'g' } }) },
      null,
    ],
    [
      'a photo sent as a file',
      {
        message: message({
          caption: 'فخار',
          document: { file_id: 'doc', file_unique_id: 'd', mime_type: 'image/jpeg' },
        }),
      },
      {
        kind: 'photo',
        media: { kind: 'channel', channel: 'telegram', fileId: 'doc', mime: 'image/jpeg' },
        caption: 'فخار',
      },
    ],
    [
      'a PDF (its bytes will refuse it)',
      {
        message: message({ document: { file_id: 'pdf', file_unique_id: 'p', mime_type: 'application/pdf' } }),
      },
      {
        kind: 'photo',
        media: { kind: 'channel', channel: 'telegram', fileId: 'pdf', mime: 'application/pdf' },
      },
    ],
    [
      'a sticker',
      { message: message({ sticker: { file_id: 's' } }) },
      { kind: 'unsupported', reason: 'message_type' },
    ],
    [
      'a voice note',
      { message: message({ voice: { file_id: 'v', duration: 3 } }) },
      { kind: 'unsupported', reason: 'message_type' },
    ],
    [
      'a location',
      { message: message({ location: { latitude: 31.5, longitude: 34.45 } }) },
      { kind: 'unsupported', reason: 'message_type' },
    ],
    [
      'a GIF, which Telegram also gives as a document',
      { message: message({ animation: { file_id: 'a' }, document: { file_id: 'a', file_unique_id: 'a' } }) },
      { kind: 'unsupported', reason: 'message_type' },
    ],
    ['a service message', { message: message({ new_chat_title: 'x' }) }, null],
    ['an edited message', { edited_message: message({ text: 'x' }) }, null],
  ])('%s', (_name, update, content) => expect(contentOf(update)).toEqual(content));

  it('names the user, the message and the profile', () => {
    expect(translateUpdate({ update_id: 9, message: message({ text: 'x' }) } as Update, new Date(0))).toEqual(
      {
        channel: 'telegram',
        externalUserId: String(USER),
        externalMessageId: 'u9',
        receivedAt: new Date(0),
        profile: { name: 'أمل سالم', languageCode: 'ar' },
        content: { kind: 'text', text: 'x' },
      },
    );
  });
});
