import type { Locale } from '../../core/flow.js';
import type { I18n } from '../../i18n/i18n.js';
import type { WhatsAppCloudAdapterDeps } from './adapter.js';

/** The adapter's own words (list button, "more" row, prompts) in both languages, from `locales/`. */
export function whatsappTexts(i18n: I18n): WhatsAppCloudAdapterDeps['labels'] {
  const labels = (locale: Locale) => ({
    listButton: i18n.t(locale, 'whatsapp:listButton'),
    more: i18n.t(locale, 'whatsapp:more'),
    moreChoices: i18n.t(locale, 'whatsapp:moreChoices'),
    chooseBelow: i18n.t(locale, 'whatsapp:chooseBelow'),
    staleButton: i18n.t(locale, 'whatsapp:staleButton'),
  });
  return { ar: labels('ar'), en: labels('en') };
}
