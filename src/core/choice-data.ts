/**
 * The data a channel's button carries back: `token|choiceId`. The token ties the button to the step
 * that rendered it, so the engine recognises a press on an old message. Shared by every channel
 * whose buttons carry data (Telegram callback data, WhatsApp reply and list ids).
 */

/** Raised when a choice id would not fit in a channel's button data: a bug to fix, never to truncate. */
export class ChoiceDataTooLongError extends Error {
  readonly code = 'CHOICE_DATA_TOO_LONG';
  constructor(
    readonly data: string,
    readonly limitBytes: number,
  ) {
    super(`button data "${data}" is ${Buffer.byteLength(data)} bytes; the channel allows ${limitBytes}`);
    this.name = 'ChoiceDataTooLongError';
  }
}

/** `token|choiceId`, checked against the channel's limit in UTF-8 bytes (never more than its characters). */
export function choiceData(token: string | undefined, choiceId: string, limitBytes: number): string {
  const data = `${token ?? ''}|${choiceId}`;
  if (Buffer.byteLength(data) > limitBytes) throw new ChoiceDataTooLongError(data, limitBytes);
  return data;
}

/** Reads a choice button's data; null when it is not one (a page button, or forged). */
export function parseChoiceData(data: string): { choiceId: string; token?: string } | null {
  const bar = data.indexOf('|');
  if (bar < 0 || bar === data.length - 1) return null;
  const token = data.slice(0, bar);
  return { choiceId: data.slice(bar + 1), ...(token ? { token } : {}) };
}
