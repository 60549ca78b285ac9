import type { ChannelSession } from './channel-drivers.js';
import { eventually } from './telegram-app.js';

/**
 * The notice containing `text` (after the first `since` she received), once it reached her: queued notices are woken until then, since the
 * channel's pacing holds one back a second after the replies of her onboarding.
 */
export async function arrived(she: ChannelSession, text: string, since: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await she.flush();
    const found = await eventually(
      () =>
        she
          .received()
          .slice(since)
          .findLast((r) => r.text.includes(text)),
      500,
    ).catch(() => undefined);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notice with "${text}" reached her`);
  }
}
