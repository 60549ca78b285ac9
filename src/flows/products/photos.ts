import { type StepContext, say } from '../../core/flow.js';
import { PRODUCT_PHOTOS_MAX } from '../../products/terms.js';
import { fail, ok } from '../cooperative-registration/field-spec.js';
import { fieldKey, type ProductFieldSpec } from './field-spec.js';

const DONE = 'done';
/** Posting: go on without a photo. */
const SKIP = 'skip';
/** "My products": leave the photos as they are (an answer that changes nothing), or remove them all. */
const KEEP = 'keep';
const REMOVE_ALL = 'removeAll';

/** Whether the photo question was answered already, wrongly or in part (so it is not introduced again). */
export const photosAsked = (ctx: StepContext) => Array.isArray(ctx.data.photoPick);

/**
 * The photos sent so far for this answer. They live in the conversation data under `photoPick` while
 * she sends them, one message each, since the question stays until she presses "done". A new answer
 * replaces the product's photos rather than adding to them.
 */
function picked(ctx: StepContext): string[] {
  const value = ctx.data.photoPick;
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

function answer(ctx: StepContext, photoMediaIds?: string[]) {
  delete ctx.data.photoPick;
  return ok(photoMediaIds ? { photoMediaIds } : {});
}

/**
 * One or more photos (up to PRODUCT_PHOTOS_MAX), then "done"; or, before the first one, one of the
 * `none` choices. Each photo is acknowledged and the question stays; the last allowed one answers it
 * by itself.
 */
function photosQuestion(promptKey: string, none: readonly string[]): ProductFieldSpec {
  return {
    prompt(ctx) {
      const count = picked(ctx).length;
      return say(
        count === 0
          ? ctx.t(fieldKey('photos', promptKey), { count: PRODUCT_PHOTOS_MAX })
          : ctx.t(fieldKey('photos', 'more'), { count }),
      );
    },
    choices(ctx) {
      const ids = picked(ctx).length === 0 ? none : [DONE];
      return ids.map((id) => ({ id, label: ctx.t(fieldKey('photos', id)) }));
    },
    read(ctx, input) {
      const photos = picked(ctx);
      if (input.kind === 'choice') {
        if (input.choiceId === KEEP) return answer(ctx);
        return answer(ctx, input.choiceId === DONE ? photos : []);
      }
      // The pick is kept even when nothing was added: it also tells that she has been asked already.
      ctx.data.photoPick = photos;
      if (input.kind !== 'photo') return fail(ctx.t(fieldKey('photos', 'photoOnly')));
      // A photo the channel still holds was not stored for us (the router stores them): ask for it again.
      if (input.media.kind !== 'stored') return fail(ctx.t(fieldKey('photos', 'again')));
      const added = photos.includes(input.media.mediaId) ? photos : [...photos, input.media.mediaId];
      if (added.length >= PRODUCT_PHOTOS_MAX) return answer(ctx, added);
      ctx.data.photoPick = added;
      return fail(ctx.t(fieldKey('photos', 'received')));
    },
  };
}

/** Posting a product: photos, or none at all. */
export const photosField = photosQuestion('prompt', [SKIP]);

/**
 * Changing a product's photos: the ones she sends replace the current ones; she may also keep them
 * (an empty answer: nothing to save) or remove them all, each its own clearly worded choice.
 */
export const photosEditField = photosQuestion('editPrompt', [KEEP, REMOVE_ALL]);
