import { dataString, type Flow, say } from '../../src/core/flow.js';

/** The photo step's question. */
export const PHOTO_PROMPT = 'Send a photo of your product';
/** The menu entry that starts the test flow (a label i18next shows as it is). */
export const PHOTO_FLOW_ENTRY = 'photo-test';

/**
 * A test flow: her name, then a photo, which it shows back to her with what it received
 * (`stored:<mediaId>` when the photo reached it stored, as every channel must deliver it).
 */
export const photoFlow: Flow = {
  id: 'photo-test',
  start: 'name',
  menu: { labelKey: PHOTO_FLOW_ENTRY, order: 1 },
  steps: {
    name: {
      prompt: () => say('What is your name?'),
      handle: (_ctx, input) =>
        input.kind === 'text'
          ? { kind: 'goto', step: 'photo', data: { name: input.text } }
          : { kind: 'retry', error: 'a name, please' },
    },
    photo: {
      prompt: () => say(PHOTO_PROMPT),
      handle: (ctx, input) => {
        if (input.kind !== 'photo') return { kind: 'retry', error: 'a photo, please' };
        const ref = input.media.kind === 'stored' ? `stored:${input.media.mediaId}` : 'channel';
        const text = `Thank you ${dataString(ctx.data, 'name')}: ${ref} ${input.caption ?? ''}`.trim();
        return { kind: 'done', say: [{ text, photo: input.media }] };
      },
    },
  },
};
