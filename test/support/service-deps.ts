import { createI18n } from '../../src/i18n/i18n.js';
import type { ServiceDeps } from '../../src/services/index.js';

/** Service dependencies as production builds them (Arabic first, SQLite, moderation on), overridable. */
export function testServiceDeps(overrides: Partial<ServiceDeps> = {}): ServiceDeps {
  return {
    i18n: createI18n({ defaultLocale: 'ar' }),
    clock: () => new Date(),
    dbProvider: 'sqlite',
    productModeration: true,
    ...overrides,
  };
}
