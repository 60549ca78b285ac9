import type { Step, StepContext, StepResult } from '../core/flow.js';
import { say } from '../core/flow.js';
import { fieldsOf } from '../services/cooperative-messages.js';
import { COOPERATIVE_FIELDS, type CooperativeField } from '../services/cooperative-rules.js';
import { FIELD_SPECS, fieldChoices, isField } from './cooperative-registration/fields.js';

/** The step id of the question that changes `field`. */
export const editStepId = (field: CooperativeField) => `edit-${field}`;

/** Back to her cooperative's profile after a change, with what happened. */
const backToProfile = (text: string): StepResult => ({
  kind: 'start',
  flow: 'my-cooperative',
  say: say(text),
});

/** Saves one changed field through the service, which decides whether it needs a new review. */
async function save(ctx: StepContext, field: CooperativeField, value: unknown): Promise<StepResult> {
  const result = await ctx.services.cooperatives.update(ctx.contact.id, { [field]: value }, ctx.channel);
  if (!result.ok) {
    return {
      kind: 'done',
      say: say(ctx.t(`cooperatives:mine.${result.error === 'suspended' ? 'suspended' : 'notLead'}`)),
    };
  }
  return backToProfile(ctx.t(result.review ? 'cooperatives:mine.savedForReview' : 'cooperatives:mine.saved'));
}

/** One question of the registration, saving its answer at once instead of going on. */
function editStep(field: CooperativeField): Step {
  const spec = FIELD_SPECS[field];
  return {
    prompt: spec.prompt,
    ...(spec.choices ? { choices: spec.choices } : {}),
    async handle(ctx, input) {
      const answer = spec.read(ctx, input);
      return answer.ok ? save(ctx, field, answer.value) : { kind: 'retry', error: answer.message };
    },
  };
}

/** "Which detail?": the chosen question starts from the cooperative's current values. */
const chooseFieldStep: Step = {
  prompt: (ctx) => say(ctx.t('cooperatives:mine.editPrompt')),
  choices: fieldChoices,
  async handle(ctx, input) {
    if (input.kind !== 'choice' || !isField(input.choiceId))
      return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    const membership = await ctx.services.memberships.current(ctx.contact.id);
    if (!membership) return { kind: 'done' };
    const { sectors } = fieldsOf(membership.cooperative);
    return { kind: 'goto', step: editStepId(input.choiceId), data: { sectors, sectorPick: null } };
  },
};

/** The lead's edit steps: choose a field, then its question. */
export const editSteps: Record<string, Step> = {
  editField: chooseFieldStep,
  ...Object.fromEntries(COOPERATIVE_FIELDS.map((field) => [editStepId(field), editStep(field)])),
};
