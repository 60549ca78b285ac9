/**
 * Unicode isolation of values placed inside outgoing messages (ARABIC.md "Mixed-direction text").
 * Telegram HTML and WhatsApp have no `dir` attribute, so these controls are the only tool.
 */

const FSI = '\u2068';
const LRI = '\u2066';
const PDI = '\u2069';

/**
 * Explicit embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Only these can
 * unbalance our isolate, so only these are removed; marks (LRM, RLM, ALM) stay, as they cannot
 * escape an isolate and formatted values such as prices rely on them.
 */
const EXPLICIT_BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Exactly what `isolate` or `isolateLtr` returns: one isolate with no explicit control inside. */
const ALREADY_ISOLATED = /^[\u2066\u2068][^\u202A-\u202E\u2066-\u2069]*\u2069$/;

function wrap(opener: string, value: string): string {
  if (ALREADY_ISOLATED.test(value)) return value;
  return `${opener}${value.replace(EXPLICIT_BIDI_CONTROLS, '')}${PDI}`;
}

/**
 * Wraps a user-supplied value (a name, a product title) in FSI … PDI so its direction comes from
 * its own first strong letter and it cannot reorder the sentence around it. A value that is
 * already isolated (for instance by `isolateLtr`) is returned unchanged.
 */
export function isolate(value: string): string {
  return wrap(FSI, value);
}

/** Wraps a left-to-right value (phone number, URL, code, Latin brand name) in LRI … PDI. */
export function isolateLtr(value: string): string {
  return wrap(LRI, value);
}
