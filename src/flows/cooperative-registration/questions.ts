import type { FlowData, Step, StepContext, StepResult } from '../../core/flow.js';
import {
  COOPERATIVE_FIELDS,
  type CooperativeDraft,
  type CooperativeField,
  REVIEWED_FIELDS,
} from '../../services/cooperative-rules.js';
import { FIELD_SPECS } from './fields.js';

/** Where the registration goes after `field`: the next question, or the summary when she is editing. */
export function nextStep(data: FlowData, field: CooperativeField): string {
  if (data.editing) return 'summary';
  return COOPERATIVE_FIELDS[COOPERATIVE_FIELDS.indexOf(field) + 1] ?? 'summary';
}

/**
 * Stores an answer and moves on. Once both the name and the governorate are known, a change to
 * either is checked against existing cooperatives, and a match is pointed out first.
 */
async function advance(ctx: StepContext, field: CooperativeField, value: unknown): Promise<StepResult> {
  const data: FlowData = { [field]: value };
  const draft = { ...ctx.data, ...data } as Partial<CooperativeDraft>;
  if (REVIEWED_FIELDS.includes(field) && draft.name && draft.governorate) {
    const duplicate = await ctx.services.cooperatives.findDuplicate(draft.name, draft.governorate);
    if (duplicate) {
      return {
        kind: 'goto',
        step: 'duplicate',
        data: { ...data, duplicateId: duplicate.id, resumeAfter: field },
      };
    }
  }
  return { kind: 'goto', step: nextStep(draft, field), data };
}

/** The registration's question for one field; the first one starts with a short introduction. */
export function questionStep(field: CooperativeField): Step {
  const spec = FIELD_SPECS[field];
  return {
    prompt(ctx) {
      const messages = spec.prompt(ctx);
      const first = field === COOPERATIVE_FIELDS[0] && !ctx.data.editing;
      return first ? [{ text: ctx.t('cooperatives:register.intro') }, ...messages] : messages;
    },
    ...(spec.choices ? { choices: spec.choices } : {}),
    async handle(ctx, input) {
      const answer = spec.read(ctx, input);
      return answer.ok ? advance(ctx, field, answer.value) : { kind: 'retry', error: answer.message };
    },
  };
}
