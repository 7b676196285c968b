/** Zoned calendar arithmetic for programs: local dates, deadlines at end of day in the program's zone. */
export * from './calendar.js';
export * from './zone.js';
