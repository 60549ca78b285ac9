import { normalizeArabic } from './normalize.js';
import type { ParseResult } from './parse.js';

/** Why a send time was not understood: not a time at all, or already passed. */
export type SendTimeError = 'invalid' | 'past';

const TIME_ZONE = 'Asia/Gaza';
const GAZA_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
const GAZA_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;
const DATE_AND_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})$/;
const MINUTE_MS = 60_000;

/** Gaza's offset from UTC at `instant`, in ms ("GMT+02:00" → 7 200 000; "GMT" → 0). */
function gazaOffsetMs(instant: number): number {
  const name = GAZA_OFFSET.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -minutes : minutes) * MINUTE_MS;
}

/** The instant a Gaza wall-clock time names; null for a date that does not exist (31 June, 25:00). */
function fromGazaWallClock(year: number, month: number, day: number, hour: number, minute: number) {
  if (hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // The offset at the guessed instant, corrected once in case a clock change lies in between.
  const guess = wall - gazaOffsetMs(wall);
  return new Date(wall - gazaOffsetMs(guess));
}

/** Today's date in Gaza at `now`. */
function gazaToday(now: Date): [number, number, number] {
  const parts = Object.fromEntries(GAZA_DATE.formatToParts(now).map((p) => [p.type, Number(p.value)]));
  return [parts.year ?? 0, parts.month ?? 1, parts.day ?? 1];
}

/** Gaza's date `days` after `now` as the forms write it ("2026-12-05"): an example that stays ahead. */
export function gazaDate(now: Date, days: number): string {
  const [year, month, day] = gazaToday(new Date(now.getTime() + days * 24 * 60 * MINUTE_MS));
  return [year, month, day].map((n) => String(n).padStart(2, '0')).join('-');
}

/** The instant "HH:MM" (on `day` in Gaza) or "YYYY-MM-DD HH:MM" names, in any digits; null if neither. */
function readGazaTime(text: string, date: [number, number, number]): Date | null {
  const input = normalizeArabic(text);
  const time = TIME_ONLY.exec(input);
  const full = DATE_AND_TIME.exec(input);
  const fields = time ? [...date, Number(time[1]), Number(time[2])] : full?.slice(1).map(Number);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0] = fields ?? [];
  return fields ? fromGazaWallClock(year, month, day, hour, minute) : null;
}

/**
 * Reads when to send, in Gaza time: "18:00" (today) or "2026-12-01 18:00", in any digits. A time
 * already passed is refused rather than moved to tomorrow: the coordinator says which day she means.
 */
export function parseSendTime(text: string, now: Date): ParseResult<Date, SendTimeError> {
  const at = readGazaTime(text, gazaToday(now));
  if (!at) return { ok: false, error: 'invalid' };
  if (at.getTime() <= now.getTime()) return { ok: false, error: 'past' };
  return { ok: true, value: at };
}

/** Why an end time or a duration was refused: not one, not after the start, or too short or long. */
export type EndTimeError = 'invalid' | 'beforeStart' | 'outOfRange';

/**
 * The shortest and longest an event may last, whether given by its end or its duration: beyond them
 * ("0.0001h", an end on the wrong day) a typo is likelier than a plan.
 */
const MIN_LENGTH_MS = 15 * MINUTE_MS;
const MAX_LENGTH_MS = 24 * 60 * MINUTE_MS;

const inRange = (ms: number): ParseResult<number, 'outOfRange'> =>
  ms >= MIN_LENGTH_MS && ms <= MAX_LENGTH_MS ? { ok: true, value: ms } : { ok: false, error: 'outOfRange' };

/** Reads when something that starts at `startsAt` ends: "12:00" (the start's day in Gaza) or a full date and time. */
export function parseEndTime(text: string, startsAt: Date): ParseResult<Date, EndTimeError> {
  const at = readGazaTime(text, gazaToday(startsAt));
  if (!at) return { ok: false, error: 'invalid' };
  if (at.getTime() <= startsAt.getTime()) return { ok: false, error: 'beforeStart' };
  const length = inRange(at.getTime() - startsAt.getTime());
  return length.ok ? { ok: true, value: at } : length;
}

/** Hours as people write them: "ساعة", "ساعتان", "3 ساعات", "ساعة ونصف", "2h", "1.5 hours". */
const HOUR_WORDS: Record<string, number> = {
  ساعه: 1,
  ساعتان: 2,
  ساعتين: 2,
  'نصف ساعه': 0.5,
  'ساعه ونصف': 1.5,
};
/** A number and its unit, hours (group 2) or minutes (group 3), after normalizeArabic (دقائق is read as دقايق). */
const DURATION = /^(\d+(?:\.\d+)?)\s*(?:(ساعه|ساعات|h|hours?|hrs?)|(دقيقه|دقايق|m|mins?|minutes?))$/;

/** Reads a duration in hours or minutes ("ساعتان", "90 دقيقة", "2h"), in any digits, in ms. */
export function parseDuration(text: string): ParseResult<number, 'invalid' | 'outOfRange'> {
  const input = normalizeArabic(text);
  const word = HOUR_WORDS[input];
  if (word !== undefined) return inRange(word * 60 * MINUTE_MS);
  const match = DURATION.exec(input);
  if (!match) return { ok: false, error: 'invalid' };
  const perUnit = match[3] ? 1 : 60;
  return inRange(Math.round(Number(match[1]) * perUnit * MINUTE_MS));
}
