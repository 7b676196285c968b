/**
 * A small program measured from the taking-office date, for the person-facts
 * tests: two orientation courses within 6 months of taking office, an election
 * law exam (70 to pass) and a signed ethics pledge.
 */
import type { ProgramDefinition } from './types.js';

export const orientationProgram: ProgramDefinition = {
  schemaVersion: 1,
  id: 'new-clerk-orientation',
  version: '2026.1',
  effectiveFrom: '2020-01-01',
  name: 'New County Clerk Orientation',
  designation: 'Oriented County Clerk',
  issuingBody: { name: 'Kansas Secretary of State' },
  timeZone: 'America/Chicago',
  unit: { singular: 'hour', plural: 'hours' },
  categories: [{ id: 'orientation', name: 'Orientation' }],
  sourceTypes: [{ id: 'course', name: 'Catalog course' }],
  courses: [
    { code: 'ORI-1', title: 'The county clerk’s election duties', credits: 3, category: 'orientation' },
    {
      code: 'ORI-2',
      title: 'Voter registration and the state database',
      credits: 3,
      category: 'orientation',
    },
  ],
  courseSets: [],
  cohorts: [],
  countingPolicy: 'exclusive',
  initial: {
    requirement: {
      id: 'orientation',
      type: 'allOf',
      title: 'New clerk orientation',
      items: [
        {
          id: 'orientation-deadline',
          type: 'deadline',
          title: 'Orientation within 6 months of taking office',
          by: { anchor: 'appointment', months: 6 },
          item: {
            id: 'orientation-courses',
            type: 'courses',
            title: 'Orientation courses',
            courses: ['ORI-1', 'ORI-2'],
            // A new clerk with seats booked in both courses is provisionally oriented.
            confirmedSeats: 'provisional',
          },
        },
        { id: 'law-exam', type: 'exam', title: 'Election law exam', exam: 'election-law', minScore: 70 },
        {
          id: 'ethics',
          type: 'attestation',
          title: 'Ethics pledge',
          attestation: 'ethics-pledge',
          statement: 'I will administer elections impartially.',
        },
      ],
    },
    deadlines: [],
  },
  assumptions: ['A test program: orientation within 6 months of taking office.'],
};
