import type { Transformer } from 'grammy';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { asOutboxSend, floodControl } from '../../src/channels/telegram/flood-control.js';
import { createChannelPacer } from '../../src/dispatch/pacer.js';

type Prev = Parameters<Transformer>[0];

/** A Bot API stand-in: each call is recorded and answered `ok`, or with the queued failures first. */
function botApi(failures: { error_code: number; retry_after?: number }[] = []) {
  const calls: string[] = [];
  const prev = (async (method: string) => {
    calls.push(method);
    const failure = failures.shift();
    if (!failure) return { ok: true, result: true };
    const { retry_after, ...rest } = failure;
    return { ok: false, description: 'failed', ...rest, parameters: { retry_after } };
  }) as unknown as Prev;
  return { calls, prev };
}

function transformer() {
  const pacer = createChannelPacer({ perSecond: 1000, perChatPerSecond: 1 });
  const call = floodControl({
    pacer,
    maxRetryAfterSeconds: 60,
    maxAttempts: 3,
    logger: pino({ level: 'silent' }),
  });
  const send = (prev: Prev, method = 'sendMessage') =>
    call(prev, method as never, { chat_id: 7, text: 'x' } as never, undefined);
  return { pacer, send };
}

describe('Telegram flood control', () => {
  it('retries a reply after a 429 once the pause Telegram asked for is over', async () => {
    const { pacer, send } = transformer();
    const api = botApi([{ error_code: 429, retry_after: 1 }]);
    const started = Date.now();
    expect(await send(api.prev)).toMatchObject({ ok: true });
    expect(api.calls).toEqual(['sendMessage', 'sendMessage']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(pacer.pausedMs()).toBe(0);
  });

  it('gives an outbox send its 429 back instead of retrying it (the dispatcher reschedules the row)', async () => {
    const { pacer, send } = transformer();
    const api = botApi([{ error_code: 429, retry_after: 5 }]);
    expect(await asOutboxSend('bulk', () => send(api.prev))).toMatchObject({ ok: false, error_code: 429 });
    expect(api.calls).toEqual(['sendMessage']);
    expect(pacer.pausedMs()).toBeGreaterThan(4_000);
  });

  it('holds back an outbox send whose slot was taken before another send got a 429: Telegram is not called', async () => {
    const { pacer, send } = transformer();
    pacer.pause(3_000);
    const api = botApi();
    const result = await asOutboxSend('bulk', () => send(api.prev));
    expect(result).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 3 } });
    expect(api.calls).toEqual([]);
  });

  it('leaves calls that send nothing alone', async () => {
    const { pacer, send } = transformer();
    pacer.pause(3_000);
    const api = botApi();
    expect(await send(api.prev, 'answerCallbackQuery')).toMatchObject({ ok: true });
    expect(await send(api.prev, 'sendChatAction')).toMatchObject({ ok: true });
    expect(api.calls).toEqual(['answerCallbackQuery', 'sendChatAction']);
  });
});
