import type { Locale } from '../../core/flow.js';
import type { I18n } from '../../i18n/i18n.js';
import { type CommandDescriptions, TELEGRAM_COMMANDS, type TelegramAdapterDeps } from './adapter.js';

/** The adapter's own words (page buttons, share-phone, command menu) in both languages, from `locales/`. */
export function telegramTexts(i18n: I18n): Pick<TelegramAdapterDeps, 'labels' | 'commands'> {
  const labels = (locale: Locale) => ({
    next: i18n.t(locale, 'telegram:next'),
    previous: i18n.t(locale, 'telegram:previous'),
    sharePhone: i18n.t(locale, 'telegram:sharePhone'),
    staleButton: i18n.t(locale, 'telegram:staleButton'),
  });
  const commands = (locale: Locale) =>
    Object.fromEntries(
      TELEGRAM_COMMANDS.map((command) => [command, i18n.t(locale, `telegram:commands.${command}`)]),
    ) as CommandDescriptions;
  return {
    labels: { ar: labels('ar'), en: labels('en') },
    commands: { ar: commands('ar'), en: commands('en') },
  };
}
