import { matchYesNo } from '../core/choices.js';
import type { StepContext, StepInput } from '../core/flow.js';
import type { Choice } from '../core/message.js';

/** A yes/no question's buttons, with labels given by the caller's keys. */
export function yesNoChoices(ctx: StepContext, yesKey: string, noKey: string): Choice[] {
  return [
    { id: 'yes', label: ctx.t(yesKey) },
    { id: 'no', label: ctx.t(noKey) },
  ];
}

/** Reads a yes/no answer from a button or from typed words (نعم، آه، أكيد / لا، لأ، بديش …). */
export function readYesNo(input: StepInput): 'yes' | 'no' | null {
  if (input.kind === 'choice')
    return input.choiceId === 'yes' ? 'yes' : input.choiceId === 'no' ? 'no' : null;
  if (input.kind === 'text') return matchYesNo(input.text);
  return null;
}
