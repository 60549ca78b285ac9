import { describe, expect, it } from 'vitest';
import { readEventForm } from '../../src/admin-chat/event-form.js';
import { parseDuration, parseEndTime } from '../../src/services/broadcast-time.js';

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

  it.each([
    ['ساعتان', 2 * HOUR],
    ['ساعتين', 2 * HOUR],
    ['ساعة', HOUR],
    ['نصف ساعة', HOUR / 2],
    ['٣ ساعات', 3 * HOUR],
    ['90 دقيقة', 1.5 * HOUR],
    ['2h', 2 * HOUR],
    ['1.5 hours', 1.5 * HOUR],
    ['25 ساعة', null],
    ['0h', null],
    ['طويلة', null],
  ])('reads the duration %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});
