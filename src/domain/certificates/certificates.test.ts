import { describe, expect, it } from 'vitest';
import { defaultDesign, designationHeading, signatureLabels } from './index.js';

describe('default certificate designs', () => {
  it('heads a certificate with the designation, not "Certificate of Certification"', () => {
    const d = defaultDesign({
      name: 'Kansas County Election Official Certification',
      designation: 'Certified County Election Official',
    });
    expect(d.heading).toBe('Certified County Election Official');
    expect(d.designationLine).toBe('and is hereby designated a');
    expect(d.signers).toEqual([]);
  });

  it('spells out an abbreviated designation the program name spells out in front of it', () => {
    expect(designationHeading('iGO Certified Public Official (CPO) Program', 'CPO')).toBe(
      'Certified Public Official',
    );
    const d = defaultDesign({ name: 'iGO Certified Public Official (CPO) Program', designation: 'CPO' });
    expect(d.heading).toBe('Certified Public Official');
    expect(d.designationLine).toBe('and is awarded the designation');
  });

  it('keeps an abbreviation whose spelled-out words do not match its letters', () => {
    expect(designationHeading('Records Clerk (CPO) Program', 'CPO')).toBe('CPO');
    expect(designationHeading('Some Program', 'MMC')).toBe('MMC');
  });

  it('names the signature lines after the signers, or leaves two sensible unnamed lines', () => {
    expect(signatureLabels({ signers: [{ name: 'Ann Lee', title: 'Director' }] }, 'Kansas SOS')).toEqual([
      { name: 'Ann Lee', title: 'Director' },
    ]);
    expect(signatureLabels({ signers: [] }, 'Kansas SOS')).toEqual([
      { name: null, title: 'Program administrator' },
      { name: null, title: 'For Kansas SOS' },
    ]);
  });
});
