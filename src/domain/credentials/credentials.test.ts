import { describe, expect, it } from 'vitest';
import {
  criteriaInWords,
  endOfDayTimestamp,
  issuerDid,
  issuerSlug,
  openBadgeCredential,
  STATUS_LIST_LENGTH,
  statusBits,
  startOfDayTimestamp,
  type AwardFacts,
} from './index.js';

const award: AwardFacts = {
  awardId: 'a1',
  certificateNumber: 'KS-2027-000001',
  nameOnCertificate: 'Dana Kessler',
  awardedOn: '2027-03-11',
  dueOn: '2029-12-31',
  designation: 'Certified County Election Official',
  program: {
    id: 'p1',
    code: 'ks-ceo',
    name: 'Kansas County Election Official Certification',
    timeZone: 'America/Chicago',
  },
  criteria: 'Complete every requirement: Year One; Year Two; Year Three.',
  creditsEarned: 27,
  unitPlural: 'hours',
};
const issuer = {
  id: 'did:web:cert.example.gov:issuers:ks-ceo',
  name: 'Kansas Secretary of State',
  url: 'https://sos.ks.gov',
  logoUrl: null,
};
const urls = {
  credential: 'https://cert.example.gov/credentials/awards/a1',
  achievement: 'https://cert.example.gov/issuers/ks-ceo/achievements/ks-ceo',
  verifyPage: 'https://cert.example.gov/verify/KS-2027-000001',
  statusList: {
    revocation: 'https://cert.example.gov/issuers/ks-ceo/status/revocation',
    suspension: 'https://cert.example.gov/issuers/ks-ceo/status/suspension',
  },
};

describe('issuer identifiers', () => {
  it('writes did:web with the port escaped and any base path as segments', () => {
    expect(issuerDid('https://cert.example.gov', 'ks-ceo')).toBe('did:web:cert.example.gov:issuers:ks-ceo');
    expect(issuerDid('http://localhost:3000/', 'ks')).toBe('did:web:localhost%3A3000:issuers:ks');
    expect(issuerDid('https://state.gov/civiccert', 'ks')).toBe('did:web:state.gov:civiccert:issuers:ks');
  });
  it('makes a slug of lower-case letters, digits and hyphens from a program code', () => {
    expect(issuerSlug('KS County_Officials')).toBe('ks-county-officials');
    expect(issuerSlug('--')).toBe('program');
  });
});

describe('validity in the program’s zone', () => {
  it('ends on the last second of the due date, with the zone’s offset that day', () => {
    expect(endOfDayTimestamp('2029-12-31', 'America/Chicago')).toBe('2029-12-31T23:59:59-06:00');
    expect(endOfDayTimestamp('2029-07-04', 'America/Chicago')).toBe('2029-07-04T23:59:59-05:00');
    expect(endOfDayTimestamp('2029-07-04', 'UTC')).toBe('2029-07-04T23:59:59Z');
  });
  it('starts at the first instant of the award date', () => {
    expect(startOfDayTimestamp('2027-03-11', 'America/Chicago')).toBe('2027-03-11T00:00:00-06:00');
    expect(startOfDayTimestamp('2027-03-11', 'Asia/Kolkata')).toBe('2027-03-11T00:00:00+05:30');
  });
});

describe('the OpenBadgeCredential of an award', () => {
  it('states the achievement, the dates and one status entry per purpose at the award’s index', () => {
    const c = openBadgeCredential(award, issuer, urls, 4242);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.issuer).toMatchObject({ id: issuer.id, name: 'Kansas Secretary of State' });
    expect(c.validFrom).toBe('2027-03-11T00:00:00-06:00');
    expect(c.validUntil).toBe('2029-12-31T23:59:59-06:00');
    expect(c.credentialSubject.achievement).toMatchObject({
      name: 'Certified County Election Official',
      criteria: { narrative: award.criteria },
    });
    expect(c.credentialSubject.creditsEarned).toBe(27);
    expect(c.credentialStatus).toEqual([
      expect.objectContaining({
        statusPurpose: 'revocation',
        statusListIndex: '4242',
        statusListCredential: urls.statusList.revocation,
      }),
      expect.objectContaining({
        statusPurpose: 'suspension',
        statusListIndex: '4242',
        statusListCredential: urls.statusList.suspension,
      }),
    ]);
  });
  it('has no validUntil when the certification does not expire, and a logo only when there is one', () => {
    const c = openBadgeCredential({ ...award, dueOn: null }, issuer, urls, 0);
    expect('validUntil' in c).toBe(false);
    expect('image' in c.issuer).toBe(false);
    const withLogo = openBadgeCredential(
      award,
      { ...issuer, logoUrl: 'https://sos.ks.gov/seal.png' },
      urls,
      0,
    );
    expect(withLogo.issuer).toMatchObject({ image: { id: 'https://sos.ks.gov/seal.png', type: 'Image' } });
  });
  it('refuses an index outside the list', () => {
    expect(() => openBadgeCredential(award, issuer, urls, STATUS_LIST_LENGTH)).toThrow(RangeError);
    expect(() => openBadgeCredential(award, issuer, urls, -1)).toThrow(RangeError);
  });
});

describe('status list bits', () => {
  it('sets the bit of each index, the first index being the first byte’s high bit', () => {
    const bits = statusBits([0, 9, 15], 16);
    expect([...bits]).toEqual([0b1000_0000, 0b0100_0001]);
    expect(statusBits([], STATUS_LIST_LENGTH)).toHaveLength(16_384);
  });
  it('refuses an index outside the list', () => {
    expect(() => statusBits([16], 16)).toThrow(RangeError);
    expect(() => statusBits([1.5], 16)).toThrow(RangeError);
  });
});

describe('criteria in words', () => {
  it('names the requirement and its parts, or says so plainly when there are none', () => {
    expect(
      criteriaInWords(
        { title: 'Certification', items: [{ title: 'Year One' }, { title: 'Year Two' }] },
        'CCEO',
      ),
    ).toBe('Certification. Complete every requirement: Year One; Year Two.');
    expect(criteriaInWords({}, 'CCEO')).toBe(
      'Meet every requirement of the program for the designation CCEO.',
    );
  });
});
