import { readdirSync, readFileSync } from 'node:fs';
import i18next, { type Resource, type ResourceLanguage, type TOptions } from 'i18next';
import { isolate } from './bidi.js';

/** The languages the bot speaks, Arabic first. */
export const LOCALES = ['ar', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A translator bound to one locale: what flows and renderers receive. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface I18n {
  readonly locales: typeof LOCALES;
  readonly defaultLocale: Locale;
  /** Translates `key` (`ns:key` for a namespace other than `common`) into `locale`. */
  t(locale: Locale, key: string, options?: Record<string, unknown>): string;
  /** The same as `t`, bound to one locale. */
  translator(locale: Locale): Translate;
  /** Maps a channel's language code ('en-US', 'ar', undefined) to a supported locale. */
  resolveLocale(code: string | undefined): Locale;
}

/** Options that steer i18next rather than fill a `{{variable}}`. */
const CONTROL_OPTIONS = new Set(['count', 'context', 'ordinal']);

const LOCALES_DIR = new URL('../../locales/', import.meta.url);

function isLocale(code: string): code is Locale {
  return (LOCALES as readonly string[]).includes(code);
}

/** Reads `locales/<locale>/<namespace>.json` for every locale; each file is one namespace. */
function loadResources(): { resources: Resource; namespaces: string[] } {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const locale of LOCALES) {
    const dir = new URL(`${locale}/`, LOCALES_DIR);
    const language: ResourceLanguage = {};
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const namespace = file.slice(0, -'.json'.length);
      language[namespace] = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      namespaces.add(namespace);
    }
    resources[locale] = language;
  }
  return { resources, namespaces: [...namespaces] };
}

/**
 * Turns caller options into i18next options: `count`, `context` and `ordinal` also steer i18next,
 * and every value fills `{{variables}}` through `replace`. String values are bidi-isolated so a
 * name or title cannot reorder the sentence around it; numbers and controls stay as given.
 */
function toI18nextOptions(locale: Locale, options: Record<string, unknown> = {}): TOptions {
  const controls: Record<string, unknown> = {};
  const replace: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    const control = CONTROL_OPTIONS.has(name);
    if (control) controls[name] = value;
    replace[name] = control || typeof value !== 'string' ? value : isolate(value);
  }
  return { ...controls, replace, lng: locale };
}

/**
 * Creates an i18next instance over every file in `locales/` (synchronously, so `t` works at once).
 * Arabic is the explicit fallback; empty strings count as missing.
 */
export function createI18n({ defaultLocale }: { defaultLocale: Locale }): I18n {
  const { resources, namespaces } = loadResources();
  const instance = i18next.createInstance();
  instance.init({
    resources,
    lng: defaultLocale,
    fallbackLng: 'ar',
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: 'common',
    returnEmptyString: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    initAsync: false,
  });

  const t = (locale: Locale, key: string, options?: Record<string, unknown>): string =>
    instance.t(key, toI18nextOptions(locale, options));

  return {
    locales: LOCALES,
    defaultLocale,
    t,
    translator: (locale) => (key, options) => t(locale, key, options),
    resolveLocale: (code) => {
      const language = code?.toLowerCase().split(/[-_]/)[0] ?? '';
      return isLocale(language) ? language : defaultLocale;
    },
  };
}
