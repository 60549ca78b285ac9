import { type Step, type StepContext, say } from '../../core/flow.js';
import type { ProductDraft } from '../../services/product-rules.js';
import { isProductField, PRODUCT_FIELDS, type ProductField, type ProductFieldSpec } from './field-spec.js';
import { FIELD_SPECS, FRESH_PICKS, fieldChoices } from './fields.js';
import { backTo, chosenProduct, mine, refused } from './my-product.js';
import { photosEditField } from './photos.js';

/** Posting's questions, but new photos replace the current ones, which she may also keep. */
const EDIT_SPECS: { readonly [K in ProductField]: ProductFieldSpec } = {
  ...FIELD_SPECS,
  photos: photosEditField,
};

/** The step id of the question that changes `field`. */
const editStepId = (field: ProductField) => `edit-${field}`;

/**
 * Saves one answer through the service, which decides whether the coordinators look at it again; an
 * empty answer (she kept the photos) saves nothing.
 */
async function save(ctx: StepContext, patch: Partial<ProductDraft>) {
  const productId = String(ctx.data.productId ?? '');
  if (Object.keys(patch).length === 0) return backTo(ctx, ctx.t(mine('unchanged')), productId);
  const result = await ctx.services.products.update(ctx.contact.id, productId, patch, ctx.now, ctx.channel);
  if (!result.ok) return refused(ctx, result.error);
  return backTo(ctx, ctx.t(mine(result.review ? 'savedForReview' : 'saved')), productId);
}

/** One question, saving its answer at once instead of going on. */
function editStep(field: ProductField): Step {
  const spec = EDIT_SPECS[field];
  return {
    prompt: spec.prompt,
    ...(spec.choices ? { choices: spec.choices } : {}),
    async handle(ctx, input) {
      const answer = spec.read(ctx, input);
      return answer.ok ? save(ctx, answer.value) : { kind: 'retry', error: answer.message };
    },
  };
}

/** "What would you like to change?": the chosen question starts from the product's current payment ways. */
const chooseFieldStep: Step = {
  prompt: (ctx) => say(ctx.t(mine('editPrompt'))),
  choices: fieldChoices,
  async handle(ctx, input) {
    if (input.kind !== 'choice' || !isProductField(input.choiceId)) {
      return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    }
    const product = await chosenProduct(ctx);
    if (!product) return refused(ctx, 'not_found');
    return {
      kind: 'goto',
      step: editStepId(input.choiceId),
      data: { paymentMethods: product.paymentMethods, ...FRESH_PICKS },
    };
  },
};

/** The edit steps of "my products": choose a field, then its question. */
export const editSteps: Record<string, Step> = {
  editField: chooseFieldStep,
  ...Object.fromEntries(PRODUCT_FIELDS.map((field) => [editStepId(field), editStep(field)])),
};
