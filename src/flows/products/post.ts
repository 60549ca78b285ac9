import type { z } from 'zod';
import { type Flow, type FlowData, type Step, type StepContext, say } from '../../core/flow.js';
import { productCard } from '../../products/card.js';
import { productDraftSchema } from '../../services/product-rules.js';
import { canPostProducts, draftCard, draftOf } from './draft.js';
import { isProductField, PRODUCT_FIELDS, type ProductField } from './field-spec.js';
import { FIELD_SPECS, FRESH_PICKS, fieldChoices } from './fields.js';
import { photosAsked } from './photos.js';

const notMember = (ctx: StepContext) => ({
  kind: 'done' as const,
  say: say(ctx.t('products:post.notMember')),
});

/** Where posting goes after `field`: the next question, or the preview when she is changing one answer. */
function nextStep(data: FlowData, field: ProductField): string {
  if (data.editing) return 'preview';
  return PRODUCT_FIELDS[PRODUCT_FIELDS.indexOf(field) + 1] ?? 'preview';
}

/** The question for one field; the first one starts by naming the cooperative she posts for. */
function questionStep(field: ProductField): Step {
  const spec = FIELD_SPECS[field];
  return {
    async prompt(ctx) {
      const messages = spec.prompt(ctx);
      if (field !== PRODUCT_FIELDS[0] || ctx.data.editing || photosAsked(ctx)) return messages;
      const cooperative = await ctx.services.products.postingCooperative(ctx.contact.id);
      const intro = ctx.t('products:post.intro', { cooperative: cooperative?.name ?? '' });
      return [{ text: intro }, ...messages];
    },
    ...(spec.choices ? { choices: spec.choices } : {}),
    handle(ctx, input) {
      const answer = spec.read(ctx, input);
      if (!answer.ok) return { kind: 'retry', error: answer.message };
      return { kind: 'goto', step: nextStep(ctx.data, field), data: answer.value };
    },
  };
}

/** Draft keys that another question fills. */
const FIELD_OF_KEY: Record<string, ProductField> = {
  priceMinor: 'price',
  currency: 'price',
  paymentMethods: 'payment',
  photoMediaIds: 'photos',
};

/** The question whose answer is missing or no longer valid (a conversation from an older version). */
function fieldOfIssue(error: z.ZodError): ProductField {
  const key = String(error.issues[0]?.path[0] ?? '');
  return FIELD_OF_KEY[key] ?? (isProductField(key) ? key : 'name');
}

/** Asks one answer again, then back to the preview. */
const askAgain = (field: ProductField) => ({
  kind: 'goto' as const,
  step: field,
  data: { editing: true, ...FRESH_PICKS },
});

/** The product exactly as buyers will see it (the catalogue's card): publish, change an answer, or drop it. */
const previewStep: Step = {
  async prompt(ctx) {
    const cooperative = await ctx.services.products.postingCooperative(ctx.contact.id);
    if (!cooperative) return say(ctx.t('products:post.notMember'));
    return [
      { text: ctx.t('products:post.preview') },
      productCard(ctx.t, ctx.locale, draftCard(draftOf(ctx.data), cooperative)),
      { text: ctx.t('products:post.question') },
    ];
  },
  choices: (ctx) => [
    { id: 'publish', label: ctx.t('products:post.publish') },
    { id: 'edit', label: ctx.t('products:post.edit') },
    { id: 'cancel', label: ctx.t('products:post.cancel') },
  ],
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'cancel') return { kind: 'done', say: say(ctx.t('products:post.cancelled')) };
    if (input.choiceId === 'edit') return { kind: 'goto', step: 'editField' };
    const draft = productDraftSchema.safeParse(draftOf(ctx.data));
    if (!draft.success) return askAgain(fieldOfIssue(draft.error));
    const { products } = ctx.services;
    const result = await products.create(ctx.contact.id, draft.data, ctx.now, ctx.channel);
    if (!result.ok) {
      // Valid answers refused: a photo that is no longer stored, so she sends the photos again.
      return result.error === 'invalid' ? askAgain('photos') : notMember(ctx);
    }
    const { product } = result;
    const key = product.status === 'PUBLISHED' ? 'products:post.published' : 'products:post.sentForReview';
    return { kind: 'done', say: say(ctx.t(key, { name: product.name })) };
  },
};

/** Which answer to change; its question then leads back to the preview. */
const editFieldStep: Step = {
  prompt: (ctx) => say(ctx.t('products:post.editPrompt')),
  choices: fieldChoices,
  handle(ctx, input) {
    if (input.kind !== 'choice' || !isProductField(input.choiceId)) {
      return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    }
    return askAgain(input.choiceId);
  },
};

/**
 * "Post a product" (members of an approved cooperative): photos, name, category, description, price,
 * unit, availability and payment ways, then a preview with the card buyers will see, where any answer
 * can be changed. The service publishes it at once, or sends it to the coordinators when moderation is on.
 */
export const postProductFlow: Flow = {
  id: 'post-product',
  start: PRODUCT_FIELDS[0],
  menu: { labelKey: 'products:menu.post', order: 20, visible: canPostProducts },
  steps: {
    ...Object.fromEntries(PRODUCT_FIELDS.map((field) => [field, questionStep(field)])),
    preview: previewStep,
    editField: editFieldStep,
  },
};
