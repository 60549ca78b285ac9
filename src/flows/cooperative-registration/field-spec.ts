import type { StepContext, StepInput } from '../../core/flow.js';
import type { Choice, OutboundMessage } from '../../core/message.js';
import type { CooperativeDraft, CooperativeField } from '../../services/cooperative-rules.js';

/** A field's answer: its value, or what to tell her while she stays on the question (nothing is lost). */
export type FieldAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * One question about a cooperative, without knowing where it leads: the registration goes on to the
 * next question or back to its summary, "my cooperative" saves the change at once.
 */
export interface FieldSpec<K extends CooperativeField = CooperativeField> {
  prompt(ctx: StepContext): OutboundMessage[];
  choices?(ctx: StepContext): Choice[];
  read(ctx: StepContext, input: StepInput): FieldAnswer<CooperativeDraft[K]>;
}

/** A field's value. */
export const ok = <T>(value: T) => ({ ok: true as const, value });

/** Not an answer yet: `message` is shown and the question asked again. */
export const fail = (message: string) => ({ ok: false as const, message });
