import type { Message } from 'grammy/types';
import type { FakeTelegram } from './fake-telegram.js';
import { ADMIN_CHAT, COORDINATOR, chatPost, eventually, inlineButtons, plain } from './telegram-app.js';

/** A coordinator (or anyone, by `userId`) acting in the coordinators' chat of the fake Bot API. */
export function coordinatorsChat(fake: FakeTelegram) {
  return {
    /** Presses the button labelled `label` on the chat's post `post` as `userId`; resolves with the answer. */
    async press(post: Message, label: string, userId = COORDINATOR) {
      const fresh = fake.messagesTo(ADMIN_CHAT).find((m) => m.message_id === post.message_id);
      const button = inlineButtons(fresh).find((b) => plain(b.text) === plain(label));
      if (!button || !('callback_data' in button))
        throw new Error(`no button "${label}" on ${fresh?.text ?? fresh?.caption}`);
      const answered = fake.callsTo('answerCallbackQuery').length;
      await fake.pressButtonInChat(ADMIN_CHAT, userId, post.message_id, button.callback_data);
      const [answer] = (await fake.waitForCalls('answerCallbackQuery', answered + 1)).slice(answered);
      return String(answer?.params.text ?? '');
    },

    /** Replies to the chat's post `post` and waits for the bot's next post there. */
    async reply(post: Message, text: string) {
      const before = fake.messagesTo(ADMIN_CHAT).length;
      await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, text);
      return eventually(() => fake.messagesTo(ADMIN_CHAT).slice(before).at(-1));
    },

    /** The chat's post `post` once its text contains `expected` (it is edited in place). */
    postNow: (post: Message, expected: string) =>
      chatPost(fake, (m) => m.message_id === post.message_id && plain(m.text).includes(plain(expected))),

    /** The bot's latest post in the chat whose text or caption contains `expected`. */
    postWith: (expected: string) =>
      chatPost(fake, (m) => plain(m.text ?? m.caption).includes(plain(expected))),
  };
}
