import { type StepContext, say } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { parsePrice } from '../../i18n/parse.js';
import {
  AVAILABILITY,
  CATEGORIES,
  PRODUCT_DESCRIPTION_MAX,
  PRODUCT_NAME_MAX,
  UNITS,
} from '../../products/terms.js';
import { PRODUCT_NAME_MIN } from '../../services/product-rules.js';
import { fail, ok } from '../cooperative-registration/field-spec.js';
import { fieldKey, PRODUCT_FIELDS, type ProductField, type ProductFieldSpec } from './field-spec.js';
import { paymentField } from './payment.js';
import { photosField } from './photos.js';

const textOnly = (ctx: StepContext) => fail(ctx.t('products:textOnly'));

/** Characters as she sees them, so an emoji or a letter with harakat is not counted twice. */
const length = (text: string) => [...text].length;

/** A question answered by one of a fixed list of slugs, each labelled from `products:<group>.<slug>`. */
function pickOne<K extends 'category' | 'unit' | 'availability'>(
  field: K,
  group: string,
  slugs: readonly string[],
): ProductFieldSpec {
  return {
    prompt: (ctx) => say(ctx.t(fieldKey(field, 'prompt'))),
    choices: (ctx): Choice[] =>
      slugs.map((slug) => ({ id: slug, label: ctx.t(`products:${group}.${slug}`) })),
    read(ctx, input) {
      const slug = slugs.find((s) => input.kind === 'choice' && input.choiceId === s);
      return slug ? ok({ [field]: slug }) : fail(ctx.t('engine:chooseOne'));
    },
  };
}

const nameField: ProductFieldSpec = {
  prompt: (ctx) => say(ctx.t(fieldKey('name', 'prompt'))),
  read(ctx, input) {
    if (input.kind !== 'text') return textOnly(ctx);
    const name = input.text.replace(/\s+/g, ' ').trim();
    const size = length(name);
    if (size < PRODUCT_NAME_MIN || size > PRODUCT_NAME_MAX) {
      return fail(ctx.t(fieldKey('name', 'invalid'), { min: PRODUCT_NAME_MIN, count: PRODUCT_NAME_MAX }));
    }
    return ok({ name });
  },
};

const descriptionField: ProductFieldSpec = {
  prompt: (ctx) => say(ctx.t(fieldKey('description', 'prompt'), { count: PRODUCT_DESCRIPTION_MAX })),
  choices: (ctx) => [{ id: 'skip', label: ctx.t(fieldKey('description', 'skip')) }],
  read(ctx, input) {
    if (input.kind === 'choice') return ok({ description: null });
    if (input.kind !== 'text') return textOnly(ctx);
    const description = input.text.trim();
    const size = length(description);
    if (size > PRODUCT_DESCRIPTION_MAX) {
      return fail(ctx.t(fieldKey('description', 'tooLong'), { count: size, max: PRODUCT_DESCRIPTION_MAX }));
    }
    return ok({ description: description === '' ? null : description });
  },
};

/** Any digits, a currency word or sign (shekels unless she names dollars or dinars). */
const priceField: ProductFieldSpec = {
  prompt: (ctx) => say([ctx.t(fieldKey('price', 'prompt')), ctx.t(fieldKey('price', 'examples'))].join('\n')),
  read(ctx, input) {
    if (input.kind !== 'text') return textOnly(ctx);
    const price = parsePrice(input.text);
    if (!price.ok) return fail(ctx.t(`products:fields.price.errors.${price.error}`));
    return ok({ priceMinor: price.value.minor, currency: price.value.currency });
  },
};

/** Every question, by the field it fills. */
export const FIELD_SPECS: { readonly [K in ProductField]: ProductFieldSpec } = {
  photos: photosField,
  name: nameField,
  category: pickOne('category', 'categories', CATEGORIES),
  description: descriptionField,
  price: priceField,
  unit: pickOne('unit', 'units', UNITS),
  availability: pickOne('availability', 'availability', AVAILABILITY),
  payment: paymentField,
};

/** "What would you like to change?": one choice per field, labelled with the field's name. */
export const fieldChoices = (ctx: StepContext): Choice[] =>
  PRODUCT_FIELDS.map((field) => ({ id: field, label: ctx.t(fieldKey(field, 'label')) }));

/** Multi-answer questions keep their picks here while she answers; a new edit starts them afresh. */
export const FRESH_PICKS = { photoPick: null, paymentPick: null } as const;
