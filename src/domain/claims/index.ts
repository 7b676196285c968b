/**
 * Outside-credit claims: the claim types, the evidence each needs, the fee
 * per credit where a program charges one, and the checks on uploaded files.
 * Pure: no I/O (the server inflates PDF streams before calling
 * `pdfHasJavaScript` on the result).
 */

export const claimTypes = [
  'state-association',
  'speaker',
  'online-course',
  'webinar',
  'professional-development',
  'internal-training',
  'work-experience',
  'college-credit',
] as const;
export type ClaimType = (typeof claimTypes)[number];

export const claimTypeLabels: Record<ClaimType, string> = {
  'state-association': 'State association meeting',
  speaker: 'Speaker or presentation',
  'online-course': 'Online course',
  webinar: 'Webinar',
  'professional-development': 'Professional development course',
  'internal-training': 'Internal county training',
  'work-experience': 'Work experience',
  'college-credit': 'College credit',
};

export const claimStatuses = ['draft', 'submitted', 'needs_information', 'approved', 'rejected'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export const documentKinds = [
  'description',
  'certificate',
  'registration',
  'supervisor-confirmation',
  'college-transcript',
  'other',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentKindLabels: Record<DocumentKind, string> = {
  description: 'Course description or agenda',
  certificate: 'Attendance certificate',
  registration: 'Registration confirmation',
  'supervisor-confirmation': "Supervisor's confirmation",
  'college-transcript': 'College transcript',
  other: 'Other document',
};

/** One required piece of evidence: any one of the kinds satisfies it. */
export interface EvidenceRequirement {
  id: string;
  label: string;
  anyOf: DocumentKind[];
}

const courseEvidence: EvidenceRequirement[] = [
  { id: 'description', label: 'A course description or agenda', anyOf: ['description'] },
  {
    id: 'attendance',
    label: 'Proof of attendance (an attendance certificate or a registration confirmation)',
    anyOf: ['certificate', 'registration'],
  },
];

/** The default rules (the CPO seed: non-sponsored courses need a description and proof of attendance). */
const defaultRules: Record<ClaimType, EvidenceRequirement[]> = {
  'state-association': courseEvidence,
  speaker: courseEvidence,
  'online-course': courseEvidence,
  webinar: courseEvidence,
  'professional-development': courseEvidence,
  'internal-training': courseEvidence,
  'work-experience': [
    { id: 'description', label: 'A description of the work', anyOf: ['description'] },
    {
      id: 'supervisor',
      label: "A supervisor's confirmation",
      anyOf: ['supervisor-confirmation'],
    },
  ],
  'college-credit': [
    {
      id: 'transcript',
      label: 'A college transcript showing the course and grade',
      anyOf: ['college-transcript'],
    },
  ],
};

/** Program-specific rules by program code; programs not listed use the defaults. */
const programRules: Record<string, Partial<Record<ClaimType, EvidenceRequirement[]>>> = {};

export function evidenceRules(programCode: string, type: ClaimType): EvidenceRequirement[] {
  return programRules[programCode]?.[type] ?? defaultRules[type];
}

/** The labels of the required evidence that the documents do not provide, in rule order. */
export function missingEvidence(
  programCode: string,
  type: ClaimType,
  kinds: readonly DocumentKind[],
): EvidenceRequirement[] {
  return evidenceRules(programCode, type).filter((r) => !r.anyOf.some((k) => kinds.includes(k)));
}

/**
 * The fee for outside credit, in cents: the program's fee per credit (a program
 * setting, 0 = no fee, the default) times the credits, never negative.
 */
export function claimFeeCents(perCreditCents: number, credits: number): number {
  return Math.round(Math.max(0, perCreditCents) * Math.max(0, credits));
}

/** The program source type a claim type becomes in the ledger. */
export function ledgerSourceType(type: ClaimType, programSourceTypes: readonly string[]): string {
  if (programSourceTypes.includes(type)) return type;
  if (type === 'webinar' && programSourceTypes.includes('online-course')) return 'online-course';
  return type;
}

// ---------------------------------------------------------------- uploaded files

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export type DocumentType = 'application/pdf' | 'image/png' | 'image/jpeg';

/** The real type of a file from its first bytes, or null when it is none we accept. */
export function sniffType(bytes: Uint8Array): DocumentType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  return null;
}

const extensions: Record<DocumentType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/**
 * A safe file name: no folders (only the part after the last / or \), no
 * control or unusual characters, no leading dots, at most 100 characters,
 * and the extension of the real type.
 */
export function sanitizeFilename(name: string, type: DocumentType): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const stem = base
    .replace(/\.[^.]*$/, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/^[.\s_-]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 90);
  return `${stem || 'document'}.${extensions[type]}`;
}

/**
 * Does this PDF text carry JavaScript? Looks for the /JavaScript and /JS
 * names, also when written with #xx escapes (/J#61vaScript).
 */
export function pdfHasJavaScript(text: string): boolean {
  const unescaped = text.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
    String.fromCharCode(parseInt(h, 16)),
  );
  return /\/(JavaScript|JS)(?![A-Za-z0-9])/.test(unescaped);
}
