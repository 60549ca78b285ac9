import type { ListRow, ReplyButton } from '../../src/channels/whatsapp-cloud/types.js';
import { startTestApp } from './app.js';
import {
  APP_SECRET,
  type FakeGraph,
  GRAPH_TOKEN,
  PHONE_NUMBER_ID,
  type SentMessage,
  startFakeGraph,
  VERIFY_TOKEN,
} from './fake-graph.js';
import { eventually, plain } from './telegram-app.js';

/**
 * The whole app as `npm start` builds it (web chat on), with WhatsApp Cloud pointed at the fake Graph
 * API and the fake's user actions posted, signed, to the app's webhook. Undo it with `cleanup`, which
 * also fails the test if the app posted anything over WhatsApp's limits.
 */
export async function startWhatsAppCloudApp(
  env: Record<string, string> = {},
  options: Parameters<typeof startTestApp>[2] = {},
) {
  const fake: FakeGraph = await startFakeGraph();
  const app = await startTestApp(
    {
      WHATSAPP_CLOUD_TOKEN: GRAPH_TOKEN,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_CLOUD_API_ROOT: fake.apiRoot,
      ...env,
    },
    undefined,
    options,
  );
  const webhookUrl = `${app.baseUrl}/whatsapp/webhook`;
  fake.connect(webhookUrl, APP_SECRET);
  return {
    fake,
    app,
    webhookUrl,
    prisma: app.taawun.database.prisma,
    /** Fails the test when Graph refused any message for breaking WhatsApp's limits (131009). */
    async cleanup() {
      await app.cleanup();
      await fake.close();
      if (fake.rejected.length)
        throw new Error(
          `Graph refused over-limit messages: ${fake.rejected.map((r) => r.reason).join('; ')}`,
        );
    },
  };
}

/** The text a person reads in a message: its body, its caption, its interactive body or its template's words. */
export function shownText(message: SentMessage | undefined): string {
  const body = message?.body;
  switch (body?.type) {
    case 'template':
      return plain(body.template.components.flatMap((c) => c.parameters.map((p) => p.text)).join('\n'));
    case 'text':
      return plain(body.text.body);
    case 'image':
      return plain(body.image.caption);
    case 'interactive':
      return plain(body.interactive.body.text);
    default:
      return '';
  }
}

/** The reply buttons of a message (none when it has none). */
export function buttonsOf(message: SentMessage | undefined): ReplyButton['reply'][] {
  const body = message?.body;
  return body?.type === 'interactive' && body.interactive.type === 'button'
    ? body.interactive.action.buttons.map((b) => b.reply)
    : [];
}

/** The rows of a list message (none when it is not one), with its button's label. */
export function listOf(message: SentMessage | undefined): { button: string; rows: ListRow[] } | undefined {
  const body = message?.body;
  if (body?.type !== 'interactive' || body.interactive.type !== 'list') return undefined;
  return {
    button: body.interactive.action.button,
    rows: body.interactive.action.sections.flatMap((s) => s.rows),
  };
}

/** Plays one WhatsApp user: each action waits for the bot's next question (a message with buttons or a list). */
export function whatsappUser(fake: FakeGraph, waId: string, name?: string) {
  const asked = (before: number) =>
    eventually(() => {
      const messages = fake.messagesTo(waId);
      const last = messages.at(-1);
      return messages.length > before && last?.body.type === 'interactive' ? last : undefined;
    });
  const act = async (action: () => Promise<{ status: number }>) => {
    const before = fake.messagesTo(waId).length;
    const { status } = await action();
    if (status !== 200) throw new Error(`the webhook answered ${status}`);
    return asked(before);
  };
  return {
    say: (text: string) => act(() => fake.sendText(waId, text, name)),
    /** Taps the reply button or list row titled `title` on the latest message. */
    press(title: string) {
      const last = fake.lastMessageTo(waId);
      const button = buttonsOf(last).find((b) => b.title === title);
      if (button) return act(() => fake.pressButton(waId, button.id, title));
      const row = listOf(last)?.rows.find((r) => r.title === title);
      if (row) return act(() => fake.pressRow(waId, row.id, title));
      throw new Error(`no button or row "${title}" in ${JSON.stringify(last?.body)}`);
    },
    /** How many messages the bot has sent her so far. */
    sent: () => fake.messagesTo(waId).length,
    /** What she read since message number `from`. */
    textsSince: (from: number) => fake.messagesTo(waId).slice(from).map(shownText),
    /** Waits for a message to her (after the first `since`) whose text contains `expected`. */
    receives: (expected: string, since = 0) =>
      eventually(() =>
        fake
          .messagesTo(waId)
          .slice(since)
          .findLast((m) => shownText(m).includes(plain(expected))),
      ),
  };
}
