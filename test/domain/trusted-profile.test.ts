import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addValidity,
  extendedValidUntil,
  pendingUntil,
  profileState,
} from '../../src/domain/trusted-profile';

test('a pending application lapses at the end of the 14th Warsaw day after it was filed', () => {
  const applied = new Date('2026-03-01T10:00:00.000Z');
  const until = pendingUntil(applied);
  assert.equal(until, '2026-03-15T23:00:00.000Z');
  const p = { status: 'pending' as const, pendingUntil: until, validUntil: null };
  assert.equal(profileState(p, new Date('2026-03-15T22:59:59.999Z')), 'pending');
  assert.equal(profileState(p, new Date('2026-03-15T23:00:00.000Z')), 'lapsed');
});

test('a confirmed profile is valid 3 years, then expired; an extension starts a new 3-year term', () => {
  const validUntil = addValidity(new Date('2026-03-01T10:00:00.000Z'));
  assert.equal(validUntil, '2029-03-01T10:00:00.000Z');
  const p = { status: 'confirmed' as const, pendingUntil: '2026-03-15T10:00:00.000Z', validUntil };
  assert.equal(profileState(p, new Date('2029-03-01T09:00:00.000Z')), 'valid');
  assert.equal(profileState(p, new Date('2029-03-01T10:00:00.000Z')), 'expired');
  assert.equal(extendedValidUntil(new Date('2028-06-01T10:00:00.000Z')), '2031-06-01T10:00:00.000Z');
  assert.equal(addValidity(new Date('2028-02-29T12:00:00.000Z')), '2031-02-28T12:00:00.000Z');
  assert.equal(profileState({ ...p, status: 'revoked' }, new Date('2027-01-01')), 'revoked');
  assert.equal(profileState({ ...p, status: 'rejected' }, new Date('2027-01-01')), 'rejected');
});
