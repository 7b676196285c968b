/**
 * Certificate designs (issue 18, item 6): the wording, colours, border and signers a program's
 * certificate is drawn with, and the default a program has before anyone saves a design. Pure:
 * the images a design names are the server's business (checked and stored there, ADR 0027).
 */

export const borderStyles = ['double', 'single', 'ornate', 'none'] as const;
export type BorderStyle = (typeof borderStyles)[number];

export const borderLabels: Record<BorderStyle, string> = {
  double: 'Double rule',
  single: 'Single rule',
  ornate: 'Double rule with corner ornaments',
  none: 'No border',
};

export interface Signer {
  name: string;
  title: string;
}

export interface CertificateWording {
  /** The heading (H1) at the top: by default the designation spelled out. */
  heading: string;
  /** Before the holder's name: "This certifies that". */
  introLine: string;
  /** After the name, before the program's name: "has met every requirement of the". */
  metLine: string;
  /** Before the designation: "and is awarded the designation". */
  designationLine: string;
}

export interface CertificateDesign extends CertificateWording {
  /** Border, heading, name and designation: a hex colour #rrggbb. */
  primaryColor: string;
  /** The rule under the heading and the border's ornaments: #rrggbb. */
  accentColor: string;
  border: BorderStyle;
  /** Up to two, in order; each signs over one line. None: two unnamed lines. */
  signers: Signer[];
}

export const MAX_SIGNERS = 2;
export const hexColor = /^#[0-9a-fA-F]{6}$/;

/**
 * The designation as a heading. A designation written as an abbreviation that the program's name
 * spells out in front of it in parentheses ("iGO Certified Public Official (CPO) Program", "CPO")
 * reads as the words it stands for: "Certified Public Official". Any other designation is its own
 * heading ("Certified County Election Official").
 */
export function designationHeading(programName: string, designation: string): string {
  const abbreviation = designation.trim();
  if (!/^[A-Z]{2,8}$/.test(abbreviation)) return abbreviation;
  const at = programName.indexOf(`(${abbreviation})`);
  if (at < 0) return abbreviation;
  const words = programName.slice(0, at).trim().split(/\s+/);
  const spelled = words.slice(-abbreviation.length);
  const initials = spelled.map((w) => w.charAt(0).toUpperCase()).join('');
  return spelled.length === abbreviation.length && initials === abbreviation
    ? spelled.join(' ')
    : abbreviation;
}

/** The design a program's certificates have until an administrator saves one. */
export function defaultDesign(program: { name: string; designation: string }): CertificateDesign {
  const heading = designationHeading(program.name, program.designation);
  return {
    heading,
    introLine: 'This certifies that',
    metLine: 'has met every requirement of the',
    // "is hereby designated a Certified County Election Official"; "awarded the designation CPO".
    designationLine:
      heading === program.designation ? 'and is hereby designated a' : 'and is awarded the designation',
    primaryColor: '#162e51',
    accentColor: '#8a6d1c',
    border: 'double',
    signers: [],
  };
}

/**
 * The labels under the signature lines: each signer's name and title, or, with no signers, two
 * unnamed lines for the program's administrator and for the issuer.
 */
export function signatureLabels(
  design: Pick<CertificateDesign, 'signers'>,
  issuerName: string,
): { name: string | null; title: string }[] {
  if (design.signers.length)
    return design.signers.slice(0, MAX_SIGNERS).map((s) => ({ name: s.name, title: s.title }));
  return [
    { name: null, title: 'Program administrator' },
    { name: null, title: `For ${issuerName}`.slice(0, 80) },
  ];
}

/** The facts a sample certificate (the preview) shows. */
export function sampleCertificate(asOf: string): {
  name: string;
  county: string;
  number: string;
  awardedOn: string;
} {
  return { name: 'Sample Official', county: 'Sample County', number: 'SAMPLE-000000', awardedOn: asOf };
}

/** The public verification page of a certificate number (printed and in the QR code). */
export function certificateVerifyUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/$/, '')}/verify/${encodeURIComponent(number)}`;
}
