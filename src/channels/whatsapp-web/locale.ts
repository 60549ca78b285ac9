import type { Locale } from '../../core/flow.js';
import type { I18n } from '../../i18n/i18n.js';
import type { MenuLabels } from './render.js';

/** The numbered menus' own words in both languages, from `locales/*\/whatsapp-web.json`. */
export function whatsappWebLabels(i18n: I18n): Record<Locale, MenuLabels> {
  const labels = (locale: Locale): MenuLabels => ({
    more: i18n.t(locale, 'whatsapp-web:more'),
    firstPage: i18n.t(locale, 'whatsapp-web:firstPage'),
    orType: i18n.t(locale, 'whatsapp-web:orType'),
  });
  return { ar: labels('ar'), en: labels('en') };
}
