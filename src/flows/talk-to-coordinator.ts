import { type Flow, type Step, type StepContext, type StepResult, say } from '../core/flow.js';
import type { Choice } from '../core/message.js';
import { NAV_PREFIX } from '../core/turn.js';
import { contactActor } from '../services/memberships.js';
import { MAX_THREAD_TEXT } from '../services/tickets.js';
import { readYesNo, yesNoChoices } from './yes-no.js';

const FLOW_ID = 'talk-to-coordinator';
const CLOSE = 'close';
/** Messages of the thread shown when she comes back to it. */
const THREAD_TAIL = 10;

/**
 * The flow rests (never expires), so it has no automatic back/menu buttons: "close my question"
 * while a ticket is open, and the menu, always.
 */
async function threadChoices(ctx: StepContext): Promise<Choice[]> {
  const active = await ctx.services.tickets.activeTicketOf(ctx.contact.id);
  return [
    ...(active ? [{ id: CLOSE, label: ctx.t('tickets:close.button') }] : []),
    { id: `${NAV_PREFIX}menu`, label: ctx.t('engine:nav.menu') },
  ];
}

/** What she writes joins her open ticket (or opens one); she is told it was passed on. */
async function forward(ctx: StepContext, input: Parameters<Step['handle']>[1]): Promise<StepResult> {
  if (input.kind === 'choice' && input.choiceId === CLOSE) return { kind: 'goto', step: 'confirmClose' };
  if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('tickets:textOnly') };
  if (input.text.length > MAX_THREAD_TEXT) {
    return { kind: 'retry', error: ctx.t('tickets:tooLong', { max: MAX_THREAD_TEXT }) };
  }
  const actor = contactActor(ctx.contact.id, ctx.channel);
  const { opened } = await ctx.services.tickets.fromContact(ctx.contact.id, input.text, actor, ctx.now);
  const sent = say(ctx.t(opened ? 'tickets:sent.opened' : 'tickets:sent.added'));
  return { kind: 'start', flow: FLOW_ID, step: 'write', say: sent };
}

/** Her open thread (its latest messages) and an invitation to write, or the question to ask. */
async function threadText(ctx: StepContext): Promise<string> {
  const active = await ctx.services.tickets.activeTicketOf(ctx.contact.id);
  if (!active) return ctx.t('tickets:ask');
  const messages = await ctx.services.tickets.thread(active.id, THREAD_TAIL);
  const lines = messages.map((m) =>
    ctx.t(m.authorRole === 'coordinator' ? 'tickets:thread.coordinator' : 'tickets:thread.her', {
      text: m.text,
    }),
  );
  return [ctx.t('tickets:thread.title'), ...lines, ctx.t('tickets:thread.write')].join('\n');
}

/**
 * "Talk to a coordinator": she writes her question, it becomes a ticket in the coordinators' chat,
 * and while it is open everything she writes here joins it. Coordinators' replies reach her as
 * notifications; coming back from the menu shows the thread. Global keywords work as everywhere.
 */
export const talkToCoordinatorFlow: Flow = {
  id: FLOW_ID,
  start: 'thread',
  resting: true,
  menu: { labelKey: 'tickets:menu', order: 40 },
  steps: {
    thread: {
      choices: threadChoices,
      prompt: async (ctx) => say(await threadText(ctx)),
      handle: forward,
    },
    write: {
      choices: threadChoices,
      prompt: (ctx) => say(ctx.t('tickets:write')),
      handle: forward,
    },
    confirmClose: {
      choices: (ctx) => yesNoChoices(ctx, 'tickets:close.yes', 'tickets:close.no'),
      prompt: (ctx) => say(ctx.t('tickets:close.confirm')),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'start', flow: FLOW_ID, step: 'write' };
        const actor = contactActor(ctx.contact.id, ctx.channel);
        await ctx.services.tickets.closeByContact(ctx.contact.id, actor, ctx.now);
        return { kind: 'done', say: say(ctx.t('tickets:close.done')) };
      },
    },
  },
};
