import { describe, expect, it } from 'vitest';
import { linkedInAddUrl } from './linkedin.js';

const award = {
  designation: 'Certified County Election Official',
  issuerName: 'Kansas Secretary of State, Elections Division',
  awardedOn: '2027-03-11',
  dueOn: '2030-12-31',
  certificateNumber: 'KS-2027-000001',
  verifyUrl: 'https://cert.example.gov/verify/KS-2027-000001',
};

const fields = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("LinkedIn's add-certification link", () => {
  it('fills the certification form: name, organisation, issue and expiry month, id and address', () => {
    const url = linkedInAddUrl(award);
    expect(url.startsWith('https://www.linkedin.com/profile/add?')).toBe(true);
    expect(fields(url)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Certified County Election Official',
      organizationName: 'Kansas Secretary of State, Elections Division',
      issueYear: '2027',
      issueMonth: '3',
      expirationYear: '2030',
      expirationMonth: '12',
      certUrl: 'https://cert.example.gov/verify/KS-2027-000001',
      certId: 'KS-2027-000001',
    });
  });

  it('leaves the expiry out when the certification does not expire', () => {
    const f = fields(linkedInAddUrl({ ...award, dueOn: null }));
    expect(f).not.toHaveProperty('expirationYear');
    expect(f).not.toHaveProperty('expirationMonth');
    expect(f.issueMonth).toBe('3');
  });

  it('encodes what a name may hold (an ampersand, an accent) so no field spills into another', () => {
    const f = fields(linkedInAddUrl({ ...award, issuerName: 'Clerks & Recorders of Doña Ana' }));
    expect(f.organizationName).toBe('Clerks & Recorders of Doña Ana');
    expect(f.certId).toBe('KS-2027-000001');
  });

  it('refuses a date that is not one', () => {
    expect(() => linkedInAddUrl({ ...award, awardedOn: '2027-13-01' })).toThrow(/award date/);
    expect(() => linkedInAddUrl({ ...award, dueOn: 'soon' })).toThrow(/renewal due date/);
  });
});
