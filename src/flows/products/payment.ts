import { type StepContext, say } from '../../core/flow.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../../products/terms.js';
import { fail, ok } from '../cooperative-registration/field-spec.js';
import { fieldKey, type ProductFieldSpec } from './field-spec.js';

const DONE = 'done';

/**
 * The payment ways being picked. They live in the conversation data under `paymentPick` while she
 * toggles (starting from the saved `paymentMethods`), so each press is remembered though the step stays.
 */
function picked(ctx: StepContext): PaymentMethod[] {
  const value = ctx.data.paymentPick ?? ctx.data.paymentMethods;
  return Array.isArray(value) ? PAYMENT_METHODS.filter((m) => value.includes(m)) : [];
}

/** A multi-select question: each press toggles a payment way (✅ when chosen); "done" answers, at least one. */
export const paymentField: ProductFieldSpec = {
  prompt: (ctx) => say(ctx.t(fieldKey('payment', 'prompt'))),
  choices(ctx) {
    const chosen = picked(ctx);
    return [
      ...PAYMENT_METHODS.map((method) => {
        const label = ctx.t(`products:payment.${method}`);
        return { id: method, label: chosen.includes(method) ? `✅ ${label}` : label };
      }),
      { id: DONE, label: ctx.t(fieldKey('payment', 'done')) },
    ];
  },
  read(ctx, input) {
    if (input.kind !== 'choice') return fail(ctx.t('engine:chooseOne'));
    const chosen = picked(ctx);
    if (input.choiceId === DONE) {
      if (chosen.length === 0) return fail(ctx.t(fieldKey('payment', 'noneChosen')));
      delete ctx.data.paymentPick;
      return ok({ paymentMethods: chosen });
    }
    const method = PAYMENT_METHODS.find((m) => m === input.choiceId);
    if (!method) return fail(ctx.t('engine:chooseOne'));
    const removing = chosen.includes(method);
    ctx.data.paymentPick = removing ? chosen.filter((m) => m !== method) : [...chosen, method];
    const label = ctx.t(`products:payment.${method}`);
    return fail(ctx.t(fieldKey('payment', removing ? 'removed' : 'added'), { method: label }));
  },
};
