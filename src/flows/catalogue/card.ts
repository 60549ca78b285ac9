import { dataString, type Step, type StepContext, type StepResult, say } from '../../core/flow.js';
import { productCard } from '../../products/card.js';
import { toCardProduct } from '../../products/card-query.js';
import { INQUIRY_TEXT_MAX } from '../../services/inquiries.js';
import { CATALOGUE, listData } from './listing.js';
import { inquiryErrorText } from './thread.js';

const CONTACT = 'contact';
const MORE = 'more';

/** The product she chose, while buyers may still see it. */
const chosen = (ctx: StepContext) => ctx.services.catalogue.card(dataString(ctx.data, 'productId') ?? '');

/** Back to the catalogue's start when the product went away while she looked at it. */
const gone = (ctx: StepContext): StepResult => ({
  kind: 'start',
  flow: CATALOGUE,
  say: say(ctx.t('catalogue:card.gone')),
});

/** The product's card (photo and text) with "contact the cooperative" and "more from this cooperative". */
export const cardStep: Step = {
  async prompt(ctx) {
    const product = await chosen(ctx);
    return product
      ? [productCard(ctx.t, ctx.locale, toCardProduct(product))]
      : say(ctx.t('catalogue:card.gone'));
  },
  choices: (ctx) => [
    { id: CONTACT, label: ctx.t('catalogue:card.contact') },
    { id: MORE, label: ctx.t('catalogue:card.more') },
  ],
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    const product = await chosen(ctx);
    if (!product) return gone(ctx);
    if (input.choiceId === CONTACT) return { kind: 'goto', step: 'ask' };
    // A fresh list (not a step deeper): its cards would otherwise overwrite where "back" returns to.
    const data = listData({ kind: 'cooperative', cooperativeId: product.cooperativeId });
    return { kind: 'start', flow: CATALOGUE, step: 'list', data };
  },
};

/** Her question to the cooperative; it is relayed to its members and their answer comes back here. */
export const askStep: Step = {
  async prompt(ctx) {
    const product = await chosen(ctx);
    if (!product) return say(ctx.t('catalogue:card.gone'));
    return say(
      ctx.t('catalogue:ask.prompt', {
        cooperative: product.cooperative.name,
        product: product.name,
        max: INQUIRY_TEXT_MAX,
      }),
    );
  },
  async handle(ctx, input) {
    if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('catalogue:ask.textOnly') };
    const productId = dataString(ctx.data, 'productId') ?? '';
    const outcome = await ctx.services.inquiries.ask(
      ctx.contact.id,
      productId,
      input.text,
      ctx.channel,
      ctx.now,
    );
    if (outcome.ok) return { kind: 'done', say: say(ctx.t('catalogue:ask.sent')) };
    if (outcome.error === 'not_available') return gone(ctx);
    return { kind: 'retry', error: inquiryErrorText(ctx, outcome.error, input.text) };
  },
};
