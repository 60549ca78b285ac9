import { describe, expect, it } from 'vitest';
import { readEventForm } from '../../src/admin-chat/event-form.js';
import { parseDuration, parseEndTime } from '../../src/i18n/gaza-time.js';

const NOW = new Date('2026-11-29T09:00:00Z');
const HOUR = 3_600_000;

describe('the event form read from a coordinator’s reply', () => {
  it('reads Arabic labels in any spelling, Arabic-Indic digits and a description over several lines', () => {
    const form = readEventForm(
      'المكان : بيت لاهيا\nالموعد: ٢٠٢٦-١٢-٠٥ ١٠:٠٠\nالمده: ساعة ونصف\nالسعة: ثلاثون\nالوصف: السطر الأول\n\nالسطر الثالث: مع نقطتين',
      NOW,
      'ورشة',
    );
    expect(form).toEqual({
      ok: true,
      value: {
        title: 'ورشة',
        place: 'بيت لاهيا',
        startsAt: new Date('2026-12-05T08:00:00Z'),
        endsAt: new Date('2026-12-05T09:30:00Z'),
        capacity: 30,
        description: 'السطر الأول\n\nالسطر الثالث: مع نقطتين',
      },
    });
  });

  it('lets a title line override the command’s, and names every missing or wrong line', () => {
    expect(
      readEventForm('Title: Other\nPlace: x\nStart: 2026-12-05 10:00\nEnd: 11:00', NOW, 'T'),
    ).toMatchObject({
      ok: true,
      value: { title: 'Other' },
    });
    expect(readEventForm(`الموعد: 2026-11-29 10:00\nالمكان: ${'م'.repeat(201)}`, NOW)).toEqual({
      ok: false,
      problems: [
        { error: 'tooLong', field: 'place' },
        { error: 'missing', field: 'title' },
        { error: 'timePast', field: 'start' },
        { error: 'missingEnd' },
      ],
    });
    expect(readEventForm('العنوان: و\nالمكان: x\nالموعد: 2026-12-05 10:00\nالمدة: أسبوع', NOW)).toEqual({
      ok: false,
      problems: [{ error: 'durationInvalid', field: 'duration' }],
    });
  });

  const FORM = 'العنوان: ورشة\nالمكان: بيت لاهيا';

  it('names a field written twice instead of keeping one: a date on its own line is not lost', () => {
    expect(readEventForm(`${FORM}\nالتاريخ: 2026-12-05\nالموعد: 10:00\nالمدة: ساعتان`, NOW)).toEqual({
      ok: false,
      problems: [
        { error: 'dateApart', field: 'start' },
        { error: 'timeInvalid', field: 'start' },
      ],
    });
    expect(
      readEventForm(`${FORM}\nالموعد: 2026-12-05 10:00\nالمده: ساعة\nالمكان: غزة\nالمدة: ساعتان`, NOW),
    ).toEqual({
      ok: false,
      problems: [
        { error: 'duplicate', field: 'place' },
        { error: 'duplicate', field: 'duration' },
      ],
    });
  });

  it('refuses both an end and a duration, and an event shorter than 15 minutes or longer than a day', () => {
    const start = `${FORM}\nالموعد: 2026-12-05 10:00`;
    expect(readEventForm(`${start}\nالنهاية: 12:00\nالمدة: ساعة`, NOW)).toEqual({
      ok: false,
      problems: [{ error: 'endAndDuration' }],
    });
    for (const [line, field] of [
      ['المدة: 0.0001h', 'duration'],
      ['المدة: 10 دقائق', 'duration'],
      ['النهاية: 10:10', 'end'],
      ['النهاية: 2026-12-09 12:00', 'end'],
    ])
      expect(readEventForm(`${start}\n${line}`, NOW)).toEqual({
        ok: false,
        problems: [{ error: 'outOfRange', field }],
      });
    expect(readEventForm(`${start}\nالنهاية: 2026-12-06 10:00`, NOW)).toMatchObject({
      ok: true,
      value: { endsAt: new Date('2026-12-06T08:00:00Z') },
    });
  });
});

describe('end times and durations, Gaza time', () => {
  const start = new Date('2026-12-05T08:00:00Z');

  it.each([
    ['12:00', '2026-12-05T10:00:00Z'],
    ['١٢:٣٠', '2026-12-05T10:30:00Z'],
    ['2026-12-06 09:00', '2026-12-06T07:00:00Z'],
  ])('reads the end %s', (text, expected) => {
    expect(parseEndTime(text, start)).toEqual({ ok: true, value: new Date(expected) });
  });

  it('refuses an end before the start, or no time at all', () => {
    expect(parseEndTime('09:59', start)).toEqual({ ok: false, error: 'beforeStart' });
    expect(parseEndTime('الظهر', start)).toEqual({ ok: false, error: 'invalid' });
  });

  it('refuses an event shorter than 15 minutes or longer than a day', () => {
    expect(parseEndTime('10:14', start)).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseEndTime('10:15', start)).toMatchObject({ ok: true });
    expect(parseEndTime('2026-12-06 10:01', start)).toEqual({ ok: false, error: 'outOfRange' });
  });

  it.each([
    ['ساعتان', 2 * HOUR],
    ['ساعتين', 2 * HOUR],
    ['ساعة', HOUR],
    ['نصف ساعة', HOUR / 2],
    ['٣ ساعات', 3 * HOUR],
    ['90 دقيقة', 1.5 * HOUR],
    ['2h', 2 * HOUR],
    ['1.5 hours', 1.5 * HOUR],
    ['15 دقيقة', HOUR / 4],
  ])('reads the duration %s', (text, expected) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['25 ساعة', 'outOfRange'],
    ['0h', 'outOfRange'],
    ['0.0001h', 'outOfRange'],
    ['14 دقيقة', 'outOfRange'],
    ['١٠ دقائق', 'outOfRange'],
    ['طويلة', 'invalid'],
  ])('refuses the duration %s', (text, error) => {
    expect(parseDuration(text)).toEqual({ ok: false, error });
  });
});
