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

// ---------------------------------------------------------------- what an official can be told

/** Hours a person can spend on an activity in one day. */
export const MAX_HOURS_PER_DAY = 24;

/**
 * The dates and hours of a claim, checked against today (in the program's
 * zone): each problem on the field that is wrong, in form order. An empty
 * end date means a one-day activity. Dates are YYYY-MM-DD.
 */
export function claimDateAndHourIssues(
  c: { startDate: string; endDate: string | null; hours: number },
  today: string,
): { field: 'startDate' | 'endDate' | 'hours'; message: string }[] {
  const issues: { field: 'startDate' | 'endDate' | 'hours'; message: string }[] = [];
  const end = c.endDate ?? c.startDate;
  if (c.startDate > today)
    issues.push({
      field: 'startDate',
      message: 'Claim an activity once it has happened; the start date is in the future.',
    });
  if (c.endDate !== null && c.endDate < c.startDate)
    issues.push({ field: 'endDate', message: 'The end date cannot be before the start date.' });
  else if (c.endDate !== null && c.endDate > today && c.startDate <= today)
    issues.push({
      field: 'endDate',
      message: 'Claim an activity once it has ended; the end date is in the future.',
    });
  if (end >= c.startDate) {
    const days =
      Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${c.startDate}T00:00:00Z`)) / 86_400_000) + 1;
    const most = days * MAX_HOURS_PER_DAY;
    if (c.hours > most)
      issues.push({
        field: 'hours',
        message:
          days === 1
            ? `${c.hours} hours in one day cannot be right: a day has at most ${MAX_HOURS_PER_DAY} hours. Check the hours, or give the end date of a longer activity.`
            : `${c.hours} hours in ${days} days cannot be right: at most ${most} hours (${MAX_HOURS_PER_DAY} a day). Check the hours and dates.`,
      });
  }
  return issues;
}

/** What a credit application fee pays for and how it is paid, shown before a claim is submitted. */
export const claimFeeFor =
  "The credit application fee pays for the program's review of outside credit. It is owed once you submit the claim, for the hours claimed; if fewer credits are approved it is recomputed, and a claim that is not approved owes nothing.";
export const claimFeeHowToPay =
  'You do not pay online. After you submit, your coordinator sends an invoice or takes the payment (check, card, cash, bank transfer or purchase order) and records it; this claim then shows it as paid.';

/** "Add these documents before submitting: A; B." — the refusal when evidence is missing. */
export function missingEvidenceSentence(labels: readonly string[]): string {
  return `Add ${labels.length === 1 ? 'this document' : 'these documents'} before submitting: ${labels.join('; ')}.`;
}
