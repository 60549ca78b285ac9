import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextGazaMidnight, startOfGazaDay } from '../../src/channels/whatsapp-web/daily-cap.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const ON = { WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: process.execPath };

describe('WhatsApp Web configuration', () => {
  it('is off unless enabled, and on with safe defaults', () => {
    expect(loadConfig({}).whatsappWeb).toBeUndefined();
    expect(loadConfig({ ...ON, DATA_DIR: '/srv/taawun' }).whatsappWeb).toEqual({
      dataPath: path.join('/srv/taawun', 'whatsapp-web'),
      chromiumPath: process.execPath,
      maxMemoryMb: 600,
      pacing: { minDelayMs: 3000, maxDelayMs: 5000 },
      dailyCap: 500,
      sending: true,
    });
    expect(loadConfig({ ...ON, WHATSAPP_WEB_SENDING: 'off' }).whatsappWeb?.sending).toBe(false);
  });

  it.each([
    [{ CHROMIUM_PATH: '/nowhere/chromium' }, 'CHROMIUM_PATH'],
    [{ WHATSAPP_WEB_MIN_DELAY_MS: '6000' }, 'WHATSAPP_WEB_MAX_DELAY_MS'],
    [{ WHATSAPP_WEB_MIN_DELAY_MS: 'soon' }, 'WHATSAPP_WEB_MIN_DELAY_MS'],
    [{ WHATSAPP_WEB_DAILY_CAP: '0' }, 'WHATSAPP_WEB_DAILY_CAP'],
    [{ WHATSAPP_WEB_MAX_MEMORY_MB: '20' }, 'WHATSAPP_WEB_MAX_MEMORY_MB'],
    [{ WHATSAPP_WEB_SENDING: 'paused' }, 'WHATSAPP_WEB_SENDING'],
    [{ WHATSAPP_WEB_ENABLED: 'maybe' }, 'WHATSAPP_WEB_ENABLED'],
  ])('names the bad variable in %j', (env, variable) => {
    const error = (() => {
      try {
        loadConfig({ ...ON, ...env });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});

describe('the day the cap counts (Asia/Gaza)', () => {
  it.each([
    ['in winter (UTC+2)', '2025-03-06T10:00:00Z', '2025-03-05T22:00:00Z', '2025-03-06T22:00:00Z'],
    ['in summer (UTC+3)', '2025-07-01T10:00:00Z', '2025-06-30T21:00:00Z', '2025-07-01T21:00:00Z'],
    ['just after midnight', '2025-07-01T21:30:00Z', '2025-07-01T21:00:00Z', '2025-07-02T21:00:00Z'],
    ['just before midnight', '2025-03-06T21:59:59Z', '2025-03-05T22:00:00Z', '2025-03-06T22:00:00Z'],
  ])('begins and ends at midnight in Gaza %s', (_, now, start, next) => {
    expect(startOfGazaDay(new Date(now)).toISOString()).toBe(new Date(start).toISOString());
    expect(nextGazaMidnight(new Date(now)).toISOString()).toBe(new Date(next).toISOString());
  });
});
