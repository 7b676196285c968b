/**
 * LinkedIn's "Add licence or certification" form, filled from an award (issue 18, item 5). The
 * official follows the link, signed in to LinkedIn, and saves; nothing is sent to LinkedIn by us.
 * Months are the award date and the renewal due date as the program's zone reads them (both are
 * already local dates of the program), written 1 to 12 as the form expects.
 */
import { parseLocalDate, type LocalDate } from '../time/index.js';

export const LINKEDIN_ADD_PROFILE = 'https://www.linkedin.com/profile/add';

export interface LinkedInCertification {
  /** The designation, as the certificate names it. */
  designation: string;
  /** The program's issuer (not the deployment). */
  issuerName: string;
  awardedOn: LocalDate;
  /** The renewal due date; none when the certification does not expire. */
  dueOn: LocalDate | null;
  certificateNumber: string;
  /** The public verification page of the certificate. */
  verifyUrl: string;
}

const yearMonth = (date: LocalDate, what: string) => {
  const d = parseLocalDate(date);
  if (!d) throw new RangeError(`Not a ${what}: ${date}`);
  return { year: String(d.year), month: String(d.month) };
};

/** The address of LinkedIn's certification form, with every field we know filled in. */
export function linkedInAddUrl(c: LinkedInCertification): string {
  const issued = yearMonth(c.awardedOn, 'award date');
  const expires = c.dueOn ? yearMonth(c.dueOn, 'renewal due date') : null;
  const q = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: c.designation,
    organizationName: c.issuerName,
    issueYear: issued.year,
    issueMonth: issued.month,
    ...(expires ? { expirationYear: expires.year, expirationMonth: expires.month } : {}),
    certUrl: c.verifyUrl,
    certId: c.certificateNumber,
  });
  return `${LINKEDIN_ADD_PROFILE}?${q.toString()}`;
}
