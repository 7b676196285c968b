import { describe, expect, it } from 'vitest';
import {
  actions,
  can,
  isPublic,
  isStaff,
  isTokenOnly,
  peopleScope,
  personChangeRefusal,
  roles,
  tokenPolicy,
  tokenRefusal,
  tokenScopes,
  type Actor,
  type Role,
  type TokenActor,
  type TokenScope,
} from './index.js';

const actor = (roles: Role[], personId = 'me'): Actor => ({ userId: `u-${personId}`, personId, roles });

describe('the authorization table', () => {
  it('lets anyone, signed in or not, attempt a public action', () => {
    expect(isPublic('system.health')).toBe(true);
    expect(can(null, 'system.health')).toBe(true);
    expect(can(actor(['official']), 'awards.verify')).toBe(true);
  });

  it('needs an account, of any role, for a signed-in action', () => {
    expect(isPublic('auth.sign-out')).toBe(false);
    expect(can(null, 'auth.sign-out')).toBe(false);
    expect(can(actor(['official']), 'auth.sign-out')).toBe(true);
    expect(can(actor([]), 'profile.export')).toBe(true);
  });

  it('needs one of the listed roles for a role action, and any one of several roles is enough', () => {
    expect(isPublic('people.export')).toBe(false);
    expect(can(null, 'people.export')).toBe(false);
    expect(can(actor(['administrator']), 'people.export')).toBe(true);
    expect(can(actor(['coordinator']), 'people.export')).toBe(false);
    expect(can(actor(['official', 'coordinator']), 'reports.read')).toBe(true);
    expect(can(actor(['official']), 'reports.read')).toBe(false);
    expect(can(actor([]), 'reports.read')).toBe(false);
  });

  it('counts as staff anyone with a role besides official', () => {
    expect(isStaff(['official'])).toBe(false);
    expect(isStaff([])).toBe(false);
    expect(isStaff(['official', 'instructor'])).toBe(true);
    expect(isStaff(['reviewer'])).toBe(true);
  });
});

describe('refusal texts a staff member reads', () => {
  const official = { personId: 'them', roles: ['official'] as Role[] };
  const selfAdmin = { personId: 'me', roles: ['administrator'] as Role[] };
  it('names exactly what only an administrator may change', () => {
    const coord = actor(['coordinator']);
    expect(personChangeRefusal(coord, official, 'email')).toBe(
      'Only an administrator can change a sign-in e-mail address.',
    );
    expect(personChangeRefusal(coord, official, 'roles')).toBe('Only an administrator can change roles.');
    expect(personChangeRefusal(coord, official, 'second-factor-reset')).toBe(
      'Only an administrator can reset two-step sign-in.',
    );
    expect(personChangeRefusal(actor(['administrator']), official, 'second-factor-reset')).toBeNull();
  });

  it("explains why an administrator's own account needs another administrator", () => {
    const me = actor(['administrator']);
    expect(personChangeRefusal(me, selfAdmin, 'email')).toBe(
      'Another administrator must change your sign-in e-mail address, so one stolen session cannot take over an administrator account.',
    );
    expect(personChangeRefusal(me, selfAdmin, 'roles')).toBe(
      'Another administrator must change your roles, so one stolen session cannot take over or lock out an administrator account.',
    );
    expect(personChangeRefusal(me, selfAdmin, 'second-factor-reset')).toBe(
      'Another administrator must reset your two-step sign-in.',
    );
  });

  it('gives an administrator alone everyone in scope', () => {
    expect(peopleScope(actor(['administrator']))).toEqual({ all: true });
  });
});

describe('API token scopes (issue 17)', () => {
  const token = (scopes: TokenScope[]): TokenActor => ({
    tokenId: 't',
    name: 'LMS',
    scopes,
    providerId: null,
  });
  it('lets a token attempt an action only with the scope the token table names for it', () => {
    expect(tokenRefusal(token(['credits:write']), 'provider-rosters.submit')).toBeNull();
    expect(tokenRefusal(token(['reports:read']), 'reports.read')).toBeNull();
    expect(tokenRefusal(token(['reports:read']), 'provider-rosters.submit')).toBe(
      'This API token does not have the scope credits:write, which this call needs.',
    );
  });

  it('refuses a token every action the token table does not name, public ones and sign-in included', () => {
    const all = token([...tokenScopes]);
    for (const action of actions.filter((a) => !tokenPolicy[a]))
      expect(tokenRefusal(all, action), action).toMatch(/cannot call this/);
    expect(tokenRefusal(all, 'auth.sign-in')).not.toBeNull();
    expect(tokenRefusal(all, 'system.web')).not.toBeNull();
  });

  it('keeps the roster to tokens: no role, not even an administrator, attempts it', () => {
    expect(isTokenOnly('provider-rosters.submit')).toBe(true);
    expect(isTokenOnly('reports.read')).toBe(false);
    expect(can(actor([...roles]), 'provider-rosters.submit')).toBe(false);
  });
});
