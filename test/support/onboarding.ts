import { createI18n } from '../../src/i18n/i18n.js';
import type { EngineHarness } from './engine-harness.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');

/** The buttons a new person presses after /start to reach the main menu as a member who wants no news. */
const MEMBER_ONBOARDING = [
  ar('onboarding:welcome.continue'),
  ar('onboarding:consent.agree'),
  ar('onboarding:persona.member'),
  ar('onboarding:news.no'),
];

/**
 * On the engine harness: a member who agreed to the privacy notice (named `name`, when given, as the
 * channel tells it) and declined news. Returns the replies that show her the main menu.
 */
export async function onboardMember(h: EngineHarness, user: string, name?: string) {
  const profile = name === undefined ? undefined : { name };
  await h.send(user, '/start', profile);
  await h.press(user, h.ar('onboarding:welcome.continue'));
  await h.send(user, h.ar('onboarding:consent.agree'), profile);
  await h.press(user, h.ar('onboarding:persona.member'));
  return h.press(user, h.ar('onboarding:news.no'));
}

/** A web or Telegram chat user (`webUser`, `telegramUser`) says /start and presses her way to the menu. */
export async function onboardChatUser<T>(user: {
  say(text: string): Promise<unknown>;
  press(label: string): Promise<T>;
}): Promise<T> {
  await user.say('/start');
  let menu: T | undefined;
  for (const label of MEMBER_ONBOARDING) menu = await user.press(label);
  return menu as T;
}
