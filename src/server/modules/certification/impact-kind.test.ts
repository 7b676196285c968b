/**
 * What kind of change one official would see when a draft of the rules is published (the impact
 * preview's rows): each kind, and no row when nothing an official sees moves.
 */
import { describe, expect, it } from 'vitest';
import { impactKind } from './impact.service.js';

const s = (status: string, nextDue: string | null = null) => ({ status, nextDue });

describe('impactKind', () => {
  it('no change: the same status and next due date', () => {
    expect(impactKind(s('certified', '2027-12-31'), s('certified', '2027-12-31'))).toBeNull();
    expect(impactKind(s('in_progress'), s('in_progress'))).toBeNull();
  });

  it('the same status with the due date moved: earlier, later, or gained or lost', () => {
    expect(impactKind(s('certified', '2027-12-31'), s('certified', '2027-06-30'))).toBe('due-earlier');
    expect(impactKind(s('certified', '2027-06-30'), s('certified', '2027-12-31'))).toBe('due-later');
    expect(impactKind(s('certified', null), s('certified', '2027-12-31'))).toBe('other');
    expect(impactKind(s('certified', '2027-12-31'), s('certified', null))).toBe('other');
  });

  it('eligible no longer, newly eligible, lapsed; any other move is "other"', () => {
    expect(impactKind(s('eligible'), s('in_progress'))).toBe('no-longer-eligible');
    expect(impactKind(s('eligible'), s('not_started'))).toBe('no-longer-eligible');
    expect(impactKind(s('in_progress'), s('eligible'))).toBe('became-eligible');
    expect(impactKind(s('not_started'), s('eligible'))).toBe('became-eligible');
    expect(impactKind(s('certified', '2027-12-31'), s('lapsed'))).toBe('lapsed');
    expect(impactKind(s('renewal_due', '2027-12-31'), s('lapsed'))).toBe('lapsed');
    expect(impactKind(s('eligible'), s('lapsed'))).toBe('other');
    expect(impactKind(s('in_progress'), s('lapsed'))).toBe('other');
    expect(impactKind(s('certified'), s('eligible'))).toBe('other');
    expect(impactKind(s('lapsed'), s('eligible'))).toBe('other');
    expect(impactKind(s('eligible'), s('certified'))).toBe('other');
    expect(impactKind(s('in_progress'), s('not_started'))).toBe('other');
  });
});
