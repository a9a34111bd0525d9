import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addWarsawYears,
  termEnd,
  warsawDateTime,
  warsawDay,
  warsawOffsetMinutes,
  warsawWallClock,
} from '../../src/domain/legal-time';
import { deemedMoment, reminderMoment } from '../../src/services/deliver-letter';
import { addValidity, extendedValidUntil, pendingUntil } from '../../src/domain/trusted-profile';

/**
 * Arrivals at 00:30 and 23:30 Warsaw time, in winter (UTC+1) and summer (UTC+2), and with the
 * 14 days spanning each DST change (29 March 2026 and 25 October 2026).
 * [arrival (UTC), deemed (UTC) = start of the Warsaw day after the 14th, reminder (UTC)]
 */
const CASES: [string, string, string, string][] = [
  // winter, 00:30 on 2 March (23:30 UTC on 1 March): deemed 17 March, not a day early
  ['winter 00:30', '2026-03-01T23:30:00.000Z', '2026-03-16T23:00:00.000Z', '2026-03-09T23:00:00.000Z'],
  // winter, 23:30 on 2 March (22:30 UTC)
  ['winter 23:30', '2026-03-02T22:30:00.000Z', '2026-03-16T23:00:00.000Z', '2026-03-09T23:00:00.000Z'],
  // summer, 00:30 on 2 July (22:30 UTC on 1 July)
  ['summer 00:30', '2026-07-01T22:30:00.000Z', '2026-07-16T22:00:00.000Z', '2026-07-09T22:00:00.000Z'],
  // summer, 23:30 on 2 July (21:30 UTC)
  ['summer 23:30', '2026-07-02T21:30:00.000Z', '2026-07-16T22:00:00.000Z', '2026-07-09T22:00:00.000Z'],
  // across the spring change: arrives 00:30 CET on 20 March, deemed 4 April 00:00 CEST
  ['spring DST 00:30', '2026-03-19T23:30:00.000Z', '2026-04-03T22:00:00.000Z', '2026-03-27T23:00:00.000Z'],
  ['spring DST 23:30', '2026-03-20T22:30:00.000Z', '2026-04-03T22:00:00.000Z', '2026-03-27T23:00:00.000Z'],
  // across the autumn change: arrives 00:30 CEST on 20 October, deemed 4 November 00:00 CET
  ['autumn DST 00:30', '2026-10-19T22:30:00.000Z', '2026-11-03T23:00:00.000Z', '2026-10-27T23:00:00.000Z'],
  ['autumn DST 23:30', '2026-10-20T21:30:00.000Z', '2026-11-03T23:00:00.000Z', '2026-10-27T23:00:00.000Z'],
  // on the very day of a change
  ['on spring change', '2026-03-29T01:30:00.000Z', '2026-04-12T22:00:00.000Z', '2026-04-05T22:00:00.000Z'],
  ['on autumn change', '2026-10-25T00:30:00.000Z', '2026-11-08T23:00:00.000Z', '2026-11-01T23:00:00.000Z'],
  // leap day: 29 February 2028 + 14 days ends 14 March
  ['leap day', '2028-02-29T11:00:00.000Z', '2028-03-14T23:00:00.000Z', '2028-03-07T23:00:00.000Z'],
  // the last minute before midnight in Warsaw
  ['23:59 Warsaw', '2026-12-31T22:59:59.999Z', '2027-01-14T23:00:00.000Z', '2027-01-07T23:00:00.000Z'],
];

describe('deadlines in Warsaw calendar days', () => {
  for (const [name, arrival, deemed, reminder] of CASES) {
    test(name, () => {
      const at = new Date(arrival);
      assert.equal(deemedMoment(at).toISOString(), deemed);
      assert.equal(reminderMoment(at).toISOString(), reminder);
      // The deemed moment is local midnight of the 15th day after the arrival day.
      assert.match(warsawDateTime(deemedMoment(at)), /T00:00:00\.000\+0[12]:00$/);
      const a = warsawDay(at);
      const d = warsawDay(deemedMoment(at));
      const days = Math.round(
        (Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
      );
      assert.equal(days, 15);
    });
  }

  test('the domain example: arrived 00:30 on 2 March, deemed on 17 March', () => {
    const deemed = deemedMoment(new Date('2026-03-01T23:30:00Z'));
    assert.deepEqual(warsawDay(deemed), { year: 2026, month: 3, day: 17 });
  });
});

describe('written times carry the Warsaw offset', () => {
  test('winter, summer and both sides of each change', () => {
    assert.equal(warsawDateTime(new Date('2026-12-06T02:38:27.832Z')), '2026-12-06T03:38:27.832+01:00');
    assert.equal(warsawDateTime(new Date('2026-07-01T22:30:00.000Z')), '2026-07-02T00:30:00.000+02:00');
    assert.equal(warsawDateTime(new Date('2026-03-29T00:59:59.999Z')), '2026-03-29T01:59:59.999+01:00');
    assert.equal(warsawDateTime(new Date('2026-03-29T01:00:00.000Z')), '2026-03-29T03:00:00.000+02:00');
    assert.equal(warsawDateTime(new Date('2026-10-25T00:59:59.000Z')), '2026-10-25T02:59:59.000+02:00');
    assert.equal(warsawDateTime(new Date('2026-10-25T01:00:00.000Z')), '2026-10-25T02:00:00.000+01:00');
    assert.equal(warsawOffsetMinutes(new Date('2026-01-15T12:00:00Z')), 60);
    for (const iso of ['2026-03-29T01:00:00.000Z', '2026-10-25T01:30:00.000Z', '2028-02-29T23:59:59.999Z']) {
      assert.equal(new Date(warsawDateTime(new Date(iso))).toISOString(), iso, 'same instant');
    }
  });

  test('an hour asked about before is answered alike, also when its clock changed inside it', () => {
    // Offsets are remembered by UTC hour: the same hour asked at its start, then at its end.
    for (const [first, second, offsets] of [
      ['2027-03-28T00:00:00.000Z', '2027-03-28T00:59:59.999Z', [60, 60]],
      ['2027-03-28T01:00:00.000Z', '2027-03-28T01:59:59.999Z', [120, 120]],
      ['2027-10-31T00:30:00.000Z', '2027-10-31T01:00:00.000Z', [120, 60]],
      // 1915: Warsaw Mean Time (+01:24) gave way to CET at 22:36 UTC, inside a UTC hour.
      ['1915-08-04T22:10:00.000Z', '1915-08-04T22:40:00.000Z', [84, 60]],
      ['1915-08-04T22:50:00.000Z', '1915-08-04T22:20:00.000Z', [60, 84]],
    ] as const) {
      for (let round = 0; round < 2; round++) {
        assert.equal(warsawOffsetMinutes(new Date(first)), offsets[0], `${first}, round ${round}`);
        assert.equal(warsawOffsetMinutes(new Date(second)), offsets[1], `${second}, round ${round}`);
      }
    }
  });
});

describe('trusted profile terms', () => {
  test('an application lapses at the end of its 14th Warsaw day', () => {
    // filed 23:30 Warsaw on 2 March (22:30 UTC): lapses 17 March 00:00 Warsaw
    assert.equal(pendingUntil(new Date('2026-03-02T22:30:00Z')), '2026-03-16T23:00:00.000Z');
    // filed 00:30 Warsaw on 20 October, across the autumn change
    assert.equal(pendingUntil(new Date('2026-10-19T22:30:00Z')), '2026-11-03T23:00:00.000Z');
    assert.equal(termEnd(new Date('2026-10-19T22:30:00Z'), 14).toISOString(), '2026-11-03T23:00:00.000Z');
  });

  test('validity: the same Warsaw date and time 3 years on; an extension never gives more than 3 years', () => {
    // 10:00 Warsaw in summer stays 10:00 Warsaw three years on, whatever UTC says
    assert.equal(addValidity(new Date('2026-07-01T08:00:00.000Z')), '2029-07-01T08:00:00.000Z');
    assert.equal(addValidity(new Date('2028-02-29T12:00:00.000Z')), '2031-02-28T12:00:00.000Z');
    // 00:30 Warsaw on 1 January (23:30 UTC the day before) stays on 1 January
    assert.equal(addValidity(new Date('2025-12-31T23:30:00.000Z')), '2028-12-31T23:30:00.000Z');
    const extendedAt = new Date('2027-05-10T09:15:00.000Z');
    const until = new Date(extendedValidUntil(extendedAt));
    assert.equal(until.toISOString(), addWarsawYears(extendedAt, 3).toISOString());
    assert.ok(until.getTime() <= new Date('2030-05-10T09:15:00.000Z').getTime());
  });
});

test('the Warsaw wall clock read from the hour offset is what Intl reads, across clock changes', () => {
  const reference = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const fields = (at: Date) => {
    const parts = reference.formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return {
      year: get('year'),
      month: get('month'),
      day: get('day'),
      hour: get('hour'),
      minute: get('minute'),
      second: get('second'),
    };
  };
  const instants: number[] = [];
  // Every minute around the changes of 2026 and of 1996 (the last time the autumn change moved).
  for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '1996-10-27T01:00:00Z'])
    for (let m = -150; m <= 150; m += 1) instants.push(Date.parse(change) + m * 60_000 + 17_250);
  // And instants spread over 1980-2100.
  for (let i = 0; i < 5000; i += 1)
    instants.push(Date.UTC(1980, 0, 1) + Math.floor(Math.random() * 120 * 365.25 * 86_400_000));
  for (const ms of instants) {
    const at = new Date(ms);
    assert.deepEqual(warsawWallClock(at), fields(at), at.toISOString());
    const w = fields(at);
    const offset = Math.round(
      (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000) /
        60_000,
    );
    assert.equal(warsawOffsetMinutes(at), offset, at.toISOString());
  }
});
