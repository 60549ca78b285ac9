import { describe, expect, it } from 'vitest';
import { type GlobalKeyword, matchKeyword } from '../../src/core/keywords.js';

const MATCHES: [string, GlobalKeyword][] = [
  // menu
  ['القائمة', 'menu'],
  ['🏠 القائمة', 'menu'],
  ['↩️ رجوع', 'back'],
  ['🏠 Menu', 'menu'],
  ['القائمه', 'menu'],
  ['القائمة الرئيسية', 'menu'],
  ['قائمة', 'menu'],
  ['الرئيسية', 'menu'],
  ['منيو', 'menu'],
  ['menu', 'menu'],
  ['MENU', 'menu'],
  ['/menu', 'menu'],
  // back
  ['رجوع', 'back'],
  ['ارجعي', 'back'],
  ['رجعني', 'back'],
  ['السابق', 'back'],
  ['back', 'back'],
  ['/back', 'back'],
  // cancel
  ['إلغاء', 'cancel'],
  ['الغاء', 'cancel'],
  ['الغي الطلب', 'cancel'],
  ['بلاش', 'cancel'],
  ['خلص', 'cancel'], // the glossary lists خلص under stop too; here it only cancels
  ['خلص!', 'cancel'],
  ['Cancel', 'cancel'],
  ['/cancel', 'cancel'],
  // stop
  ['إيقاف', 'stop'],
  ['ايقاف', 'stop'],
  ['وقف', 'stop'],
  ['وقّف', 'stop'],
  ['أوقف', 'stop'],
  ['بطّل', 'stop'],
  ['بكفّي', 'stop'],
  ['لا تبعتلي', 'stop'],
  ['ما بدي رسائل', 'stop'],
  ['إلغاء الاشتراك', 'stop'],
  ['STOP', 'stop'],
  ['stop.', 'stop'],
  ['unsubscribe', 'stop'],
  ['/stop', 'stop'],
  ['wa2ef', 'stop'],
  // start
  ['start', 'start'],
  ['/start', 'start'],
  ['/start@TaawunBot', 'start'],
  ['ابدأ', 'start'],
  ['إبدأ', 'start'],
  ['البداية', 'start'],
  // subscribe
  ['اشترك', 'subscribe'],
  ['اشترك من جديد', 'subscribe'],
  ['فعّل', 'subscribe'],
  ['subscribe', 'subscribe'],
  // help
  ['مساعدة', 'help'],
  ['مساعده', 'help'],
  ['ساعديني', 'help'],
  ['مش فاهمة', 'help'],
  ['شو أعمل؟', 'help'],
  ['؟', 'help'],
  ['?', 'help'],
  ['help', 'help'],
  ['Help!', 'help'],
  ['/help', 'help'],
  ['sa3deni', 'help'],
  // language
  ['اللغة', 'language'],
  ['عربي', 'language'],
  ['English', 'language'],
  ['انجليزي', 'language'],
  ['/language', 'language'],
  // spelling noise
  ['  الْقَائِمَة  ', 'menu'],
  ['القـــائمة', 'menu'],
  ['\u200Fإيقاف\u200F', 'stop'],
];

const NON_MATCHES = [
  'مش بدي أوقف',
  'لا',
  'لأ',
  'مش',
  'بدي القائمة',
  'stop please',
  'menu 2',
  '/start ref123',
  '/unknown',
  '/constructor',
  'help me with prices',
  '',
  '!',
  'نعم',
];

describe('matchKeyword', () => {
  it.each(MATCHES)('%j → %s', (text, keyword) => {
    expect(matchKeyword(text)).toBe(keyword);
  });

  it.each(NON_MATCHES)('%j → null', (text) => {
    expect(matchKeyword(text)).toBeNull();
  });
});
