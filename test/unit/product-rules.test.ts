import { describe, expect, it } from 'vitest';
import { ADMIN_CHOICE_TOKEN, adminChoice } from '../../src/admin-chat/types.js';
import { CALLBACK_DATA_LIMIT, choiceData } from '../../src/channels/telegram/render.js';
import { publishTarget } from '../../src/services/product-messages.js';
import { reviewRevision, statusWhenShown } from '../../src/services/product-rules.js';

const AT = new Date('2026-11-29T09:00:00Z');

describe('statusWhenShown', () => {
  it.each([
    ['approved', 'PUBLISHED', { approvedAt: AT, refusedAt: null }, true],
    ['approved, moderation off', 'PUBLISHED', { approvedAt: AT, refusedAt: null }, false],
    ['never approved', 'PENDING', { approvedAt: null, refusedAt: null }, true],
    ['never approved, moderation off', 'PUBLISHED', { approvedAt: null, refusedAt: null }, false],
    ['hidden by the coordinators', 'PENDING', { approvedAt: null, refusedAt: AT }, true],
    ['hidden by the coordinators, moderation off', 'PENDING', { approvedAt: null, refusedAt: AT }, false],
  ] as const)('%s → %s', (_case, expected, approval, moderation) => {
    expect(statusWhenShown(approval, moderation)).toBe(expected);
  });
});

describe('reviewRevision', () => {
  const content = { name: 'زعتر بلدي', description: 'قطفة الربيع', photoMediaIds: ['m1', 'm2'] };
  const revision = reviewRevision(content);

  it('is the same for the same content, whatever else the product holds', () => {
    expect(reviewRevision({ ...content, photoMediaIds: ['m1', 'm2'] })).toBe(revision);
    expect(reviewRevision({ ...content, priceMinor: 1 } as typeof content)).toBe(revision);
  });

  it.each([
    ['a new name', { name: 'زعتر' }],
    ['a new description', { description: 'قطفة الصيف' }],
    ['no description', { description: null }],
    ['another photo', { photoMediaIds: ['m1', 'm3'] }],
    ['the photos in another order', { photoMediaIds: ['m2', 'm1'] }],
    ['no photos', { photoMediaIds: [] }],
  ])('changes with %s', (_case, change) => {
    expect(reviewRevision({ ...content, ...change })).not.toBe(revision);
  });

  it('fits a publish button of a cuid product in Telegram’s callback data, with no separator in it', () => {
    expect(revision).toMatch(/^[\w-]+$/);
    const choice = adminChoice('product.publish', publishTarget('c'.repeat(25), revision), 'نشر');
    const data = choiceData(ADMIN_CHOICE_TOKEN, choice.id);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
  });
});
