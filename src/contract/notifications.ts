import { z } from 'zod';

/**
 * The kinds of bulk notice a person can turn off. Transactional e-mail (sign-in and password
 * links, e-mail changes, awards, claim decisions, registration changes) is always sent.
 */
export const noticeCategories = ['renewal-reminders', 'status-notices', 'session-reminders'] as const;
export const noticeCategory = z.enum(noticeCategories);
export type NoticeCategory = z.infer<typeof noticeCategory>;

/** What each kind is, in the words of the profile page and the notices' footers. */
export const noticeCategoryLabels: Record<NoticeCategory, { label: string; hint: string }> = {
  'renewal-reminders': {
    label: 'Renewal reminders',
    hint: 'Before a certification renewal is due.',
  },
  'status-notices': {
    label: 'Certification status notices',
    hint: 'When you meet the requirements for a designation, when a certification lapses, and when it is reinstated.',
  },
  'session-reminders': {
    label: 'Session reminders',
    hint: 'A few days before a session you are registered for.',
  },
};

export const notificationPreferences = z
  .object({
    /** true: the person gets this kind of notice. */
    'renewal-reminders': z.boolean(),
    'status-notices': z.boolean(),
    'session-reminders': z.boolean(),
  })
  .meta({ id: 'NotificationPreferences' });
export const notificationPreferencesBody = z.strictObject({
  'renewal-reminders': z.boolean().optional(),
  'status-notices': z.boolean().optional(),
  'session-reminders': z.boolean().optional(),
});

export const unsubscribeQuery = z.strictObject({
  token: z
    .string()
    .max(200)
    .regex(/^[0-9a-f-]{36}\.[a-z-]+\.[A-Za-z0-9_-]{43}$/, 'Not the token of an unsubscribe link.'),
});
export const unsubscribeResult = z
  .object({
    category: noticeCategory,
    message: z.string(),
  })
  .meta({ id: 'UnsubscribeResult' });
