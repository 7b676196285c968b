import { describe, expect, it } from 'vitest';
import { awardEventRefusal, eventDay, plaqueChangeRefusal, plaqueStates, type PlaqueState } from './index.js';

describe('eventDay', () => {
  it('is the event’s own date first, then the day of the session it follows, then its first session’s', () => {
    expect(
      eventDay({ heldOn: '2027-06-14', followsSessionDay: '2027-06-13', firstSessionDay: '2027-06-12' }),
    ).toBe('2027-06-14');
    expect(eventDay({ heldOn: null, followsSessionDay: '2027-06-13', firstSessionDay: '2027-06-12' })).toBe(
      '2027-06-13',
    );
    expect(eventDay({ heldOn: null, followsSessionDay: null, firstSessionDay: '2027-06-12' })).toBe(
      '2027-06-12',
    );
    expect(eventDay({ heldOn: null, followsSessionDay: null, firstSessionDay: null })).toBeNull();
  });
});

describe('awardEventRefusal', () => {
  const today = '2027-06-14';
  it('allows a ceremony or a conference that is today or past', () => {
    expect(
      awardEventRefusal({ title: 'Annual recognition', kind: 'ceremony', day: today }, today),
    ).toBeNull();
    expect(
      awardEventRefusal({ title: 'Summer conference', kind: 'conference', day: '2027-06-01' }, today),
    ).toBeNull();
  });

  it('refuses a class, naming the event and saying where awards are made', () => {
    expect(awardEventRefusal({ title: 'Canvassing 101', kind: 'class', day: '2027-06-01' }, today)).toEqual({
      field: 'eventId',
      message: '"Canvassing 101" is a class; awards are made at a recognition ceremony or a conference.',
    });
  });

  it('refuses an event with no date yet', () => {
    expect(awardEventRefusal({ title: 'Winter ceremony', kind: 'ceremony', day: null }, today)).toEqual({
      field: 'eventId',
      message: '"Winter ceremony" has no date yet; give it one before awarding at it.',
    });
  });

  it('refuses an event still to come, from the day after today, with its date written out', () => {
    expect(awardEventRefusal({ title: 'Fall ceremony', kind: 'ceremony', day: '2027-06-15' }, today)).toEqual(
      {
        field: 'eventId',
        message:
          '"Fall ceremony" takes place on June 15, 2027; awards can be made at it from that day, not before.',
      },
    );
  });
});

describe('plaqueChangeRefusal', () => {
  const allowed = new Set(['to_order>ordered', 'ordered>delivered', 'ordered>to_order', 'delivered>ordered']);
  it.each(plaqueStates.flatMap((from) => plaqueStates.map((to) => [from, to] as [PlaqueState, PlaqueState])))(
    '%s → %s',
    (from, to) => {
      const refusal = plaqueChangeRefusal(from, to);
      if (from === to || allowed.has(`${from}>${to}`)) expect(refusal).toBeNull();
      else expect(refusal).toMatch(/cannot become .* directly; mark it ordered first\.$/);
    },
  );

  it('names both states in words', () => {
    expect(plaqueChangeRefusal('to_order', 'delivered')).toBe(
      'A plaque that is "To order" cannot become "Delivered" directly; mark it ordered first.',
    );
  });
});
