import type { Logger } from 'pino';
import { ADMIN_CHOICE_TOKEN, adminChoice } from '../admin-chat/types.js';
import type { OutboundMessage } from '../core/message.js';
import type { Db } from '../db/client.js';
import { postedProgressMessage } from '../services/broadcast-lifecycle.js';
import { progressText } from '../services/broadcast-messages.js';
import type { BroadcastView } from '../services/broadcasts.js';
import { createServices, type ServiceDeps } from '../services/index.js';

/** The action of the "stop sending" button on a progress message (src/admin-chat/broadcasts.ts). */
export const STOP_ACTION = 'bc.stop';

/** How the job posts and edits progress messages: the Telegram adapter's `send` and `editText`. */
export interface ProgressChat {
  send(chatId: string, message: OutboundMessage): Promise<number>;
  editText(chatId: string, messageId: number, message: OutboundMessage): Promise<void>;
}

export interface BroadcastProgressOptions {
  prisma: Db;
  serviceDeps: ServiceDeps;
  /** Without it (Telegram off) broadcasts are still moved along and finished, only nothing is shown. */
  chat?: ProgressChat;
  logger: Logger;
  /** How often the job looks (default 5 s). */
  intervalMs?: number;
  /** Fewest ms between two edits of one progress message (default 5 s: Telegram limits edits). */
  minEditMs?: number;
  /** A broadcast finished and its report is in the outbox (kick the dispatcher). */
  afterFinish?: () => void;
}

/** What was last shown for a broadcast, so unchanged counts cost no edit. */
interface Shown {
  text: string;
  at: number;
}

/**
 * Follows broadcasts under way (DESIGN §6): moves each along (QUEUED → SENDING → DONE, which queues
 * its report) and, for one queued from the coordinators' chat, posts a progress message there and
 * edits it in place when its counts change (sent · failed · waiting), at most once per `minEditMs`,
 * with a last edit when it is done. Posting is claimed in the database, so one process posts it;
 * a claim left by a process that died before recording the message expires, and it is posted again.
 */
export function createBroadcastProgress(options: BroadcastProgressOptions) {
  const { prisma, serviceDeps, chat } = options;
  const logger = options.logger.child({ component: 'broadcast-progress' });
  const intervalMs = options.intervalMs ?? 5_000;
  const minEditMs = options.minEditMs ?? 5_000;
  const locale = serviceDeps.i18n.defaultLocale;
  const t = serviceDeps.i18n.translator(locale);
  const shown = new Map<string, Shown>();

  function message(view: BroadcastView): OutboundMessage {
    const done = view.status === 'DONE';
    const text = progressText(t, locale, { ...view, done }, serviceDeps.clock());
    if (done) return { text, locale };
    const stop = adminChoice(STOP_ACTION, view.id, t('broadcasts:chat.stop'));
    return { text, locale, choices: [stop], choiceToken: ADMIN_CHOICE_TOKEN };
  }

  async function post(progress: ProgressChat, view: BroadcastView, chatId: string): Promise<void> {
    const services = createServices(prisma, serviceDeps);
    if (!(await services.broadcasts.claimProgressMessage(view.id, serviceDeps.clock()))) return;
    const shownMessage = message(view);
    try {
      const messageId = await progress.send(chatId, shownMessage);
      await services.broadcasts.setProgressMessage(view.id, String(messageId));
      shown.set(view.id, { text: shownMessage.text, at: Date.now() });
    } catch (err) {
      await services.broadcasts.setProgressMessage(view.id, null);
      throw err;
    }
  }

  async function edit(progress: ProgressChat, view: BroadcastView, chatId: string, messageId: string) {
    const next = message(view);
    const last = shown.get(view.id);
    const done = view.status === 'DONE';
    if (last?.text === next.text || (!done && last && Date.now() - last.at < minEditMs)) return;
    shown.set(view.id, { text: next.text, at: Date.now() });
    await progress.editText(chatId, Number(messageId), next);
  }

  /** Moves one broadcast along and shows where it is. */
  async function follow(id: string): Promise<void> {
    const status = await prisma.$transaction((tx) =>
      createServices(tx, serviceDeps).broadcasts.finishIfDone(id, serviceDeps.clock()),
    );
    if (status === 'DONE') options.afterFinish?.();
    const view = await createServices(prisma, serviceDeps).broadcasts.view(id);
    if (!chat || !view?.progressChatId) return;
    const posted = postedProgressMessage(view.progressMsgId);
    if (posted) await edit(chat, view, view.progressChatId, posted);
    else await post(chat, view, view.progressChatId);
    if (status === 'DONE') shown.delete(id);
  }

  /** One look at every broadcast under way; a failure with one does not stop the others. */
  async function runOnce(): Promise<void> {
    const active = await createServices(prisma, serviceDeps).broadcasts.inProgress();
    for (const { id } of active) {
      await follow(id).catch((err) => logger.warn({ err, broadcastId: id }, 'following a broadcast failed'));
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  /** A kick came during a pass: look again as soon as it ends. */
  let again = false;

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
  }

  function tick() {
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = runOnce()
      .catch((err) => logger.error({ err }, 'a broadcast progress pass failed'))
      .finally(() => {
        running = undefined;
        schedule(again ? 0 : intervalMs);
      });
  }

  return {
    runOnce,
    /** Starts looking every `intervalMs`. */
    start(): void {
      stopped = false;
      schedule(0);
    },
    /** A broadcast was queued: look now rather than at the next interval. */
    kick(): void {
      schedule(0);
    },
    /** Stops after the pass in flight. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type BroadcastProgress = ReturnType<typeof createBroadcastProgress>;
