import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const CLOUD = {
  WHATSAPP_CLOUD_TOKEN: 'EAAG-token',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_CLOUD_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WHATSAPP_CLOUD_VERIFY_TOKEN: 'my-verify-token',
};

describe('WhatsApp Cloud configuration', () => {
  it('is off without a token and a phone number id, as a copied .env.example leaves it', () => {
    expect(loadConfig({}).whatsappCloud).toBeUndefined();
    expect(
      loadConfig({ WHATSAPP_CLOUD_TOKEN: '', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '' }).whatsappCloud,
    ).toBeUndefined();
  });

  it('is on with all four, with the Graph root, no template and Meta-friendly rates by default', () => {
    expect(loadConfig(CLOUD).whatsappCloud).toEqual({
      token: 'EAAG-token',
      phoneNumberId: '106540352242922',
      appSecret: '0123456789abcdef0123456789abcdef',
      verifyToken: 'my-verify-token',
      apiRoot: 'https://graph.facebook.com/v21.0',
      rate: { perSecond: 20, perChatPerSecond: 0.16 },
    });
  });

  it('reads the template, its language, the rates and another API root', () => {
    const config = loadConfig({
      ...CLOUD,
      WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update',
      WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: 'en_US',
      WHATSAPP_CLOUD_RATE_PER_SECOND: '50',
      WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '0.5',
      WHATSAPP_CLOUD_API_ROOT: 'http://127.0.0.1:9000/v21.0/',
    }).whatsappCloud;
    expect(config).toMatchObject({
      templates: {
        ar: { name: 'taawun_update', language: 'en_US' },
        en: { name: 'taawun_update', language: 'en_US' },
      },
      rate: { perSecond: 50, perChatPerSecond: 0.5 },
      apiRoot: 'http://127.0.0.1:9000/v21.0',
    });
  });

  it.each<[string, Record<string, string>, unknown]>([
    ['no template', {}, undefined],
    [
      'the default for both languages',
      { WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update' },
      { ar: { name: 'taawun_update', language: 'ar' }, en: { name: 'taawun_update', language: 'ar' } },
    ],
    [
      "the default template's English translation",
      { WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update', WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: 'en_US' },
      { ar: { name: 'taawun_update', language: 'ar' }, en: { name: 'taawun_update', language: 'en_US' } },
    ],
    [
      'an English template of its own',
      { WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update', WHATSAPP_CLOUD_TEMPLATE_NAME_EN: 'taawun_update_en' },
      { ar: { name: 'taawun_update', language: 'ar' }, en: { name: 'taawun_update_en', language: 'en' } },
    ],
    [
      'an English template only',
      { WHATSAPP_CLOUD_TEMPLATE_NAME_EN: 'taawun_update_en', WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: '' },
      { en: { name: 'taawun_update_en', language: 'en' } },
    ],
  ])('templates: %s', (_name, env, templates) => {
    expect(loadConfig({ ...CLOUD, ...env }).whatsappCloud?.templates).toEqual(templates);
  });

  it.each([
    [{ WHATSAPP_CLOUD_TEMPLATE_NAME_EN: 'Taawun EN' }, 'WHATSAPP_CLOUD_TEMPLATE_NAME_EN'],
    [{ WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: 'english' }, 'WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN'],
    [{ WHATSAPP_CLOUD_PHONE_NUMBER_ID: undefined }, 'WHATSAPP_CLOUD_PHONE_NUMBER_ID'],
    [{ WHATSAPP_CLOUD_TOKEN: undefined }, 'WHATSAPP_CLOUD_TOKEN'],
    [{ WHATSAPP_CLOUD_APP_SECRET: '' }, 'WHATSAPP_CLOUD_APP_SECRET'],
    [{ WHATSAPP_CLOUD_VERIFY_TOKEN: undefined }, 'WHATSAPP_CLOUD_VERIFY_TOKEN'],
    [{ WHATSAPP_CLOUD_PHONE_NUMBER_ID: '+970599123456' }, 'WHATSAPP_CLOUD_PHONE_NUMBER_ID'],
    [{ WHATSAPP_CLOUD_APP_SECRET: 'short' }, 'WHATSAPP_CLOUD_APP_SECRET'],
    [{ WHATSAPP_CLOUD_TEMPLATE_NAME: 'Taawun Update' }, 'WHATSAPP_CLOUD_TEMPLATE_NAME'],
    [{ WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: 'arabic' }, 'WHATSAPP_CLOUD_TEMPLATE_LANGUAGE'],
    [{ WHATSAPP_CLOUD_RATE_PER_SECOND: '0' }, 'WHATSAPP_CLOUD_RATE_PER_SECOND'],
    [{ WHATSAPP_CLOUD_API_ROOT: 'graph.facebook.com' }, 'WHATSAPP_CLOUD_API_ROOT'],
  ])('names the bad variable: %j', (change, variable) => {
    let error: unknown;
    try {
      loadConfig({ ...CLOUD, ...change });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});
