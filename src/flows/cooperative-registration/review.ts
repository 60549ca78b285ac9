import { type FlowData, type Step, type StepContext, say } from '../../core/flow.js';
import { governorateName, profileLines } from '../../services/cooperative-messages.js';
import {
  COOPERATIVE_FIELDS,
  type CooperativeDraft,
  type CooperativeField,
  cooperativeDraftSchema,
} from '../../services/cooperative-rules.js';
import { fieldChoices, isField } from './fields.js';
import { nextStep } from './questions.js';

/** The answers collected so far, as a (possibly incomplete) draft. */
const draftOf = (data: FlowData): Partial<CooperativeDraft> =>
  Object.fromEntries(COOPERATIVE_FIELDS.filter((f) => f in data).map((f) => [f, data[f]]));

/** The existing cooperative the name and governorate match (set by the question that found it). */
const duplicateOf = (ctx: StepContext) => ctx.services.cooperatives.get(String(ctx.data.duplicateId));

/** "This cooperative already exists": ask to join it (when approved), or go on with hers. */
export const duplicateStep: Step = {
  async prompt(ctx) {
    const duplicate = await duplicateOf(ctx);
    const key = duplicate?.status === 'APPROVED' ? 'duplicate' : 'duplicatePending';
    const name = duplicate?.name ?? String(ctx.data.name);
    const governorate = governorateName(duplicate?.governorate ?? String(ctx.data.governorate), ctx.locale);
    return say(ctx.t(`cooperatives:register.${key}`, { name, governorate }));
  },
  async choices(ctx) {
    const approved = (await duplicateOf(ctx))?.status === 'APPROVED';
    return [
      ...(approved ? [{ id: 'join', label: ctx.t('cooperatives:register.joinInstead') }] : []),
      { id: 'continue', label: ctx.t('cooperatives:register.notMine') },
    ];
  },
  handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'join') {
      return {
        kind: 'start',
        flow: 'join-cooperative',
        step: 'confirm',
        data: { cooperativeId: ctx.data.duplicateId },
      };
    }
    const after = String(ctx.data.resumeAfter);
    return { kind: 'goto', step: nextStep(ctx.data, isField(after) ? after : 'governorate') };
  },
};

/** Every answer on one screen: send, or change one of them and come back here. */
export const summaryStep: Step = {
  prompt: (ctx) =>
    say(
      [
        ctx.t('cooperatives:register.summary'),
        ...profileLines(ctx.t, ctx.locale, draftOf(ctx.data), { withPhone: true }),
      ].join('\n'),
    ),
  choices: (ctx) => [
    { id: 'submit', label: ctx.t('cooperatives:register.submit') },
    { id: 'edit', label: ctx.t('cooperatives:register.edit') },
  ],
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'edit') return { kind: 'goto', step: 'editField' };
    const draft = cooperativeDraftSchema.safeParse(draftOf(ctx.data));
    if (!draft.success) {
      // An answer is missing or no longer valid (a conversation from an older version): ask it again.
      const field = draft.error.issues[0]?.path[0];
      const step: CooperativeField = typeof field === 'string' && isField(field) ? field : 'name';
      return { kind: 'goto', step, data: { editing: true } };
    }
    const result = await ctx.services.cooperatives.register(ctx.contact.id, draft.data, ctx.channel);
    if (!result.ok) return { kind: 'done', say: say(ctx.t('cooperatives:register.alreadyMember')) };
    return { kind: 'done', say: say(ctx.t('cooperatives:register.submitted', { name: draft.data.name })) };
  },
};

/** Which answer to change; its question then leads back to the summary. */
export const editFieldStep: Step = {
  prompt: (ctx) => say(ctx.t('cooperatives:register.editPrompt')),
  choices: fieldChoices,
  handle(ctx, input) {
    if (input.kind !== 'choice' || !isField(input.choiceId)) {
      return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    }
    // A sector pick left unfinished earlier starts again from the saved answer.
    return { kind: 'goto', step: input.choiceId, data: { editing: true, sectorPick: null } };
  },
};
