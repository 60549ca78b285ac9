import { type EndTimeError, parseDuration, parseEndTime, parseSendTime } from '../i18n/gaza-time.js';
import { normalizeArabic } from '../i18n/normalize.js';
import { parseCount } from '../i18n/parse.js';

/** The lines of the event form a coordinator replies with, one `label: value` a line. */
export type FormField = 'title' | 'place' | 'start' | 'end' | 'duration' | 'capacity' | 'description';

/** Why a line of the form was refused; each has its words in `adminEvents:form.errors.*`. */
export type FormError =
  | 'missing'
  | 'missingEnd'
  | 'tooLong'
  | 'timeInvalid'
  | 'timePast'
  | 'endInvalid'
  | 'endBeforeStart'
  | 'durationInvalid'
  | 'capacityInvalid'
  | 'unknownLine'
  | 'duplicate'
  | 'dateApart'
  | 'endAndDuration'
  | 'outOfRange';

export interface FormProblem {
  error: FormError;
  field?: FormField;
  /** The line not understood, for `unknownLine`. */
  line?: string;
}

export interface EventForm {
  title: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  capacity?: number;
  description?: string;
}

/** The same limits as the admin API's, so an event made in the chat is one the API would accept. */
export const FORM_MAX: Partial<Record<FormField, number>> = { title: 120, place: 200, description: 1000 };
const CAPACITY_MAX = 100_000;
const END_ERRORS: Record<EndTimeError, FormError> = {
  invalid: 'endInvalid',
  beforeStart: 'endBeforeStart',
  outOfRange: 'outOfRange',
};
/** How much of a line not understood the notice quotes back. */
const LINE_QUOTE = 40;

/**
 * The labels each line may start with, Arabic and English, compared after normalizeArabic (so
 * المدة and المده, Title and title are alike). The form the bot shows uses the first Arabic one.
 */
const LABELS: Record<FormField, string[]> = {
  title: ['العنوان', 'عنوان', 'الاسم', 'title', 'name'],
  place: ['المكان', 'مكان', 'place', 'where', 'location', 'venue'],
  start: ['الموعد', 'موعد', 'البدايه', 'البدء', 'التاريخ', 'start', 'starts', 'when', 'date'],
  end: ['النهايه', 'الانتهاء', 'ينتهي', 'end', 'ends', 'until'],
  duration: ['المده', 'مده', 'duration', 'length'],
  capacity: ['السعه', 'سعه', 'العدد', 'عدد المقاعد', 'المقاعد', 'capacity', 'seats', 'places'],
  description: ['الوصف', 'وصف', 'التفاصيل', 'description', 'details', 'about'],
};
const FIELD_OF = new Map(
  Object.entries(LABELS).flatMap(([field, labels]) => labels.map((l) => [l, field as FormField] as const)),
);
const LABELLED = /^([^:：]{1,30})[:：]\s*(.*)$/;

const fieldOf = (line: string) => {
  const labelled = LABELLED.exec(line.trim());
  return labelled ? FIELD_OF.get(normalizeArabic(labelled[1] ?? '')) : undefined;
};

/** Whether a line is one of the form's (`المكان: …`) rather than, say, a title. */
export const isFormLine = (line: string) => fieldOf(line) !== undefined;

/**
 * Her lines by field; a description goes on over the lines after its label. A field written twice is
 * named rather than one of them taken: a date on its own line (التاريخ, a label of الموعد) would
 * otherwise leave an event on the wrong day without a word.
 */
function readLines(text: string): { values: Map<FormField, string>; problems: FormProblem[] } {
  const values = new Map<FormField, string>();
  const problems: FormProblem[] = [];
  let last: FormField | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (last === 'description') values.set(last, `${values.get(last)}\n`);
      continue;
    }
    const field = fieldOf(line);
    if (field) {
      if (values.has(field)) problems.push({ error: field === 'start' ? 'dateApart' : 'duplicate', field });
      else values.set(field, LABELLED.exec(line)?.[2]?.trim() ?? '');
      last = field;
    } else if (last === 'description') values.set(last, `${values.get(last)}\n${line}`);
    else
      problems.push({
        error: 'unknownLine',
        line: line.length > LINE_QUOTE ? `${line.slice(0, LINE_QUOTE)}…` : line,
      });
  }
  return { values, problems };
}

/**
 * Reads the event form (ARABIC.md digits, Gaza time): title (unless the command gave it), place,
 * start, end or duration, and optionally capacity and description. Every problem is named at once,
 * by its line, so she corrects them all in one reply.
 */
export function readEventForm(
  text: string,
  now: Date,
  givenTitle?: string,
): { ok: true; value: EventForm } | { ok: false; problems: FormProblem[] } {
  const { values, problems } = readLines(text);
  const value = (field: FormField) => {
    const found = values.get(field)?.trim() || (field === 'title' ? givenTitle?.trim() : undefined);
    const max = FORM_MAX[field];
    if (found && max && found.length > max) problems.push({ error: 'tooLong', field });
    return found || undefined;
  };
  const title = value('title');
  const place = value('place');
  const description = value('description');
  for (const [field, found] of [
    ['title', title],
    ['place', place],
  ] as const)
    if (!found) problems.push({ error: 'missing', field });

  const start = value('start');
  const startsAt = start ? parseSendTime(start, now) : undefined;
  if (!start) problems.push({ error: 'missing', field: 'start' });
  else if (startsAt && !startsAt.ok)
    problems.push({ error: startsAt.error === 'past' ? 'timePast' : 'timeInvalid', field: 'start' });

  const end = value('end');
  const duration = value('duration');
  let endsAt: Date | undefined;
  if (end && duration) problems.push({ error: 'endAndDuration' });
  else if (end && startsAt?.ok) {
    const read = parseEndTime(end, startsAt.value);
    if (read.ok) endsAt = read.value;
    else problems.push({ error: END_ERRORS[read.error], field: 'end' });
  } else if (duration) {
    const ms = parseDuration(duration);
    if (!ms.ok)
      problems.push({ error: ms.error === 'invalid' ? 'durationInvalid' : 'outOfRange', field: 'duration' });
    else if (startsAt?.ok) endsAt = new Date(startsAt.value.getTime() + ms.value);
  } else if (!end) problems.push({ error: 'missingEnd' });

  const seats = value('capacity');
  const capacity = seats ? parseCount(seats, { min: 1, max: CAPACITY_MAX }) : undefined;
  if (capacity && !capacity.ok) problems.push({ error: 'capacityInvalid', field: 'capacity' });

  if (problems.length || !title || !place || !startsAt?.ok || !endsAt) return { ok: false, problems };
  return {
    ok: true,
    value: {
      title,
      place,
      startsAt: startsAt.value,
      endsAt,
      ...(capacity?.ok ? { capacity: capacity.value } : {}),
      ...(description ? { description } : {}),
    },
  };
}
