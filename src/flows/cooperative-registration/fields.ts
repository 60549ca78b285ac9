import { type StepContext, type StepInput, say } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { findGovernorate, GOVERNORATES } from '../../data/governorates.js';
import { isolateLtr } from '../../i18n/bidi.js';
import { parseCount, parsePhone } from '../../i18n/parse.js';
import { governorateName } from '../../services/cooperative-messages.js';
import {
  type CooperativeField,
  DESCRIPTION_MAX,
  LEGAL_FORMS,
  LOCALITY_LENGTH,
  MEMBERS_RANGE,
  NAME_LENGTH,
} from '../../services/cooperative-rules.js';
import { type FieldAnswer, type FieldSpec, fail, ok } from './field-spec.js';
import { sectorsField } from './sectors.js';

const key = (field: CooperativeField, name: string) => `cooperatives:fields.${field}.${name}`;

/** Free text of a bounded length (counted in characters as she sees them), spaces tidied. */
function readText(
  ctx: StepContext,
  input: StepInput,
  field: CooperativeField,
  length: { min: number; max: number },
): FieldAnswer<string> {
  if (input.kind !== 'text') return fail(ctx.t('cooperatives:textOnly'));
  const text = input.text.replace(/\s+/g, ' ').trim();
  const size = [...text].length;
  return size >= length.min && size <= length.max ? ok(text) : fail(ctx.t(key(field, 'invalid'), length));
}

/** Her own number when a channel already told it (WhatsApp) or she gave it before; E.164. */
function knownPhone(ctx: StepContext): string | undefined {
  const phone = ctx.contact.phone ?? ctx.profile?.phone;
  const parsed = phone ? parsePhone(phone) : undefined;
  return parsed?.ok ? parsed.value : undefined;
}

const nameField: FieldSpec<'name'> = {
  prompt: (ctx) => say(ctx.t(key('name', 'prompt'))),
  read: (ctx, input) => readText(ctx, input, 'name', NAME_LENGTH),
};

const legalFormField: FieldSpec<'legalForm'> = {
  prompt: (ctx) => say(ctx.t(key('legalForm', 'prompt'))),
  choices: (ctx) =>
    LEGAL_FORMS.map((form) => ({ id: form, label: ctx.t(`cooperatives:legalForms.${form}`) })),
  read(ctx, input) {
    const form = LEGAL_FORMS.find((f) => input.kind === 'choice' && input.choiceId === f);
    return form ? ok(form) : fail(ctx.t('engine:chooseOne'));
  },
};

const governorateField: FieldSpec<'governorate'> = {
  prompt: (ctx) => say(ctx.t(key('governorate', 'prompt'))),
  choices: (ctx) => GOVERNORATES.map((g) => ({ id: g.slug, label: governorateName(g.slug, ctx.locale) })),
  read(ctx, input) {
    if (input.kind === 'choice') return ok(input.choiceId);
    const found = input.kind === 'text' ? findGovernorate(input.text) : null;
    return found ? ok(found.slug) : fail(ctx.t(key('governorate', 'notFound')));
  },
};

const localityField: FieldSpec<'locality'> = {
  prompt: (ctx) => say(ctx.t(key('locality', 'prompt'))),
  read: (ctx, input) => readText(ctx, input, 'locality', LOCALITY_LENGTH),
};

const membersCountField: FieldSpec<'membersCount'> = {
  prompt: (ctx) => say(ctx.t(key('membersCount', 'prompt'))),
  read(ctx, input) {
    if (input.kind !== 'text') return fail(ctx.t('cooperatives:textOnly'));
    const count = parseCount(input.text, MEMBERS_RANGE);
    if (count.ok) return ok(count.value);
    return fail(
      count.error === 'out_of_range'
        ? ctx.t(key('membersCount', 'outOfRange'), MEMBERS_RANGE)
        : ctx.t(key('membersCount', 'notANumber')),
    );
  },
};

const descriptionField: FieldSpec<'description'> = {
  prompt: (ctx) => say(ctx.t(key('description', 'prompt'), { max: DESCRIPTION_MAX })),
  choices: (ctx) => [{ id: 'skip', label: ctx.t(key('description', 'skip')) }],
  read(ctx, input) {
    if (input.kind === 'choice') return ok(null);
    if (input.kind !== 'text') return fail(ctx.t('cooperatives:textOnly'));
    const text = input.text.trim();
    const size = [...text].length;
    if (size > DESCRIPTION_MAX) {
      return fail(ctx.t(key('description', 'tooLong'), { count: size, max: DESCRIPTION_MAX }));
    }
    return ok(text === '' ? null : text);
  },
};

const contactPhoneField: FieldSpec<'contactPhone'> = {
  prompt(ctx) {
    if (knownPhone(ctx)) return say(ctx.t(key('contactPhone', 'promptKnown')));
    if (ctx.channel === 'telegram') {
      return [{ text: ctx.t(key('contactPhone', 'promptTelegram')), requestContact: true }];
    }
    return say(ctx.t(key('contactPhone', 'prompt')));
  },
  choices(ctx) {
    const phone = knownPhone(ctx);
    return phone
      ? [{ id: 'known', label: ctx.t(key('contactPhone', 'useKnown'), { phone: isolateLtr(phone) }) }]
      : [];
  },
  read(ctx, input) {
    const known = input.kind === 'choice' ? knownPhone(ctx) : undefined;
    if (known) return ok(known);
    const typed = input.kind === 'contact' ? input.phone : input.kind === 'text' ? input.text : '';
    const parsed = parsePhone(typed);
    return parsed.ok ? ok(parsed.value) : fail(ctx.t(key('contactPhone', 'invalid')));
  },
};

/** Every question, by the field it fills. */
export const FIELD_SPECS: { readonly [K in CooperativeField]: FieldSpec<K> } = {
  name: nameField,
  legalForm: legalFormField,
  governorate: governorateField,
  locality: localityField,
  sectors: sectorsField,
  membersCount: membersCountField,
  description: descriptionField,
  contactPhone: contactPhoneField,
};

/** "Which detail would you like to change?": one choice per field, labelled with the field's name. */
export const fieldChoices = (ctx: StepContext): Choice[] =>
  Object.keys(FIELD_SPECS).map((field) => ({
    id: field,
    label: ctx.t(key(field as CooperativeField, 'label')),
  }));

/** Narrows a choice id to a field name. */
export const isField = (id: string): id is CooperativeField => Object.hasOwn(FIELD_SPECS, id);
