import { describe, expect, it } from 'vitest';
import { countyScoped, peopleScope, personChangeRefusal, standing, type Actor, type Role } from './index.js';

const actor = (roles: Role[], personId = 'me'): Actor => ({ userId: `u-${personId}`, personId, roles });
const target = (roles: Role[], personId = 'them') => ({ personId, roles });

describe('standing', () => {
  it('orders administrator above coordinator above reviewer and instructor above official', () => {
    expect(standing(['official'])).toBeLessThan(standing(['instructor']));
    expect(standing(['reviewer'])).toBe(standing(['instructor']));
    expect(standing(['reviewer'])).toBeLessThan(standing(['coordinator']));
    expect(standing(['coordinator', 'official'])).toBeLessThan(standing(['administrator']));
    expect(standing([])).toBe(0);
  });
});

describe('personChangeRefusal', () => {
  it('refuses every change to someone who stands above the actor', () => {
    for (const change of ['details', 'email', 'roles', 'invite', 'second-factor-reset'] as const)
      expect(personChangeRefusal(actor(['coordinator']), target(['administrator']), change)).toMatch(
        /above yours/,
      );
  });
  it('keeps the sign-in e-mail and roles to administrators', () => {
    expect(personChangeRefusal(actor(['coordinator']), target(['official']), 'details')).toBeNull();
    expect(personChangeRefusal(actor(['coordinator']), target(['official']), 'invite')).toBeNull();
    expect(personChangeRefusal(actor(['coordinator']), target(['official']), 'email')).toMatch(
      /Only an administrator/,
    );
    expect(personChangeRefusal(actor(['coordinator']), target(['official']), 'roles')).toMatch(
      /Only an administrator/,
    );
    expect(personChangeRefusal(actor(['administrator']), target(['administrator']), 'email')).toBeNull();
  });
  it("an administrator's own e-mail, roles and second factor need another administrator", () => {
    const me = actor(['administrator']);
    expect(personChangeRefusal(me, target(['administrator'], 'me'), 'email')).toMatch(
      /Another administrator/,
    );
    expect(personChangeRefusal(me, target(['administrator'], 'me'), 'roles')).toMatch(
      /Another administrator/,
    );
    expect(personChangeRefusal(me, target(['administrator']), 'roles')).toBeNull();
    expect(personChangeRefusal(me, target(['administrator'], 'me'), 'second-factor-reset')).toMatch(
      /Another administrator/,
    );
    expect(personChangeRefusal(me, target(['administrator'], 'me'), 'details')).toBeNull();
  });
  it('lets a trusted system caller (no actor) do anything', () => {
    expect(personChangeRefusal(null, target(['administrator']), 'email')).toBeNull();
  });
});

describe('peopleScope', () => {
  it('gives administrators and coordinators everyone, instructors their rosters, reviewers their claims', () => {
    expect(peopleScope(actor(['coordinator']))).toEqual({ all: true });
    expect(peopleScope(actor(['instructor']))).toEqual({
      all: false,
      rosters: true,
      reviews: false,
      counties: [],
      coordinator: null,
    });
    expect(peopleScope(actor(['reviewer', 'instructor']))).toEqual({
      all: false,
      rosters: true,
      reviews: true,
      counties: [],
      coordinator: null,
    });
  });

  it('gives a county supervisor the counties of their account, and nothing without them', () => {
    const supervisor = { ...actor(['supervisor']), counties: ['20177', '20173'] };
    expect(peopleScope(supervisor)).toEqual({
      all: false,
      rosters: false,
      reviews: false,
      counties: ['20177', '20173'],
      coordinator: null,
    });
    expect(peopleScope(actor(['supervisor']))).toMatchObject({ counties: [] });
    // Counties held by someone who is not a supervisor (a role taken away) open nothing.
    expect(peopleScope({ ...actor(['instructor']), counties: ['20177'] })).toMatchObject({ counties: [] });
    // The account's counties limit its coordinator role too (0031): a supervisor who also
    // coordinates does so for their counties; a coordinator without counties is statewide.
    expect(peopleScope({ ...actor(['supervisor', 'coordinator']), counties: ['20177'] })).toMatchObject({
      all: false,
      counties: ['20177'],
      coordinator: { counties: ['20177'], programs: [] },
    });
    expect(peopleScope({ ...actor(['supervisor', 'coordinator']), counties: [] })).toEqual({ all: true });
  });

  it('treats a supervisor as county-scoped unless a wider role sees more', () => {
    expect(countyScoped(actor(['supervisor']))).toBe(true);
    expect(countyScoped(actor(['supervisor', 'official', 'instructor']))).toBe(true);
    expect(countyScoped(actor(['supervisor', 'reviewer']))).toBe(false);
    expect(countyScoped({ ...actor(['coordinator']), counties: ['20177'] })).toBe(true);
    expect(countyScoped({ ...actor(['coordinator']), programs: ['cpo'] })).toBe(false);
    expect(countyScoped(actor(['official']))).toBe(false);
    expect(countyScoped(null)).toBe(false);
  });
});
