import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import {
  noticeCategories,
  noticeCategoryLabels,
  type NoticeCategory,
  type notificationPreferences,
} from '../../../contract/notifications';
import { api } from '../../api';
import { ErrorAlert } from '../../components/PageError';

type Preferences = z.infer<typeof notificationPreferences>;

/**
 * The kinds of bulk e-mail notice the person gets, as a USWDS checkbox group. The link in each
 * notice's footer points here (#notifications); its one-click unsubscribe changes the same setting.
 */
export function NotificationPreferences() {
  const queryClient = useQueryClient();
  const prefs = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: () => api.get<Preferences>('/api/profile/notifications'),
  });
  const [chosen, setChosen] = useState<Preferences | null>(null);
  useEffect(() => {
    if (prefs.data) setChosen(prefs.data);
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: (body: Preferences) => api.put<Preferences>('/api/profile/notifications', body),
    onSuccess: (saved) => queryClient.setQueryData(['notification-preferences'], saved),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) save.mutate(chosen);
  };
  const toggle = (c: NoticeCategory) => (e: React.ChangeEvent<HTMLInputElement>) => {
    save.reset();
    setChosen((p) => (p ? { ...p, [c]: e.target.checked } : p));
  };

  return (
    <section aria-labelledby="notifications">
      <h2 id="notifications" tabIndex={-1}>
        E-mail notices
      </h2>
      {prefs.isError ? (
        <ErrorAlert error={prefs.error} />
      ) : !chosen ? (
        <p>Loading your e-mail settings…</p>
      ) : (
        <>
          {save.isSuccess && (
            <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
              Your e-mail settings are saved.
            </Alert>
          )}
          {save.isError && <ErrorAlert error={save.error} />}
          <Form onSubmit={submit} noValidate large>
            <fieldset className="usa-fieldset">
              <legend className="usa-legend">Send me these e-mails</legend>
              <span className="usa-hint" id="notices-hint">
                Sign-in links, e-mail address changes, awards, claim decisions and changes to your
                registrations are always sent.
              </span>
              {noticeCategories.map((c) => (
                <div className="usa-checkbox" key={c}>
                  <input
                    className="usa-checkbox__input"
                    id={`notice-${c}`}
                    type="checkbox"
                    name="notices"
                    value={c}
                    checked={chosen[c]}
                    onChange={toggle(c)}
                    aria-describedby="notices-hint"
                  />
                  <label className="usa-checkbox__label" htmlFor={`notice-${c}`}>
                    {noticeCategoryLabels[c].label}
                    <span className="usa-checkbox__label-description">{noticeCategoryLabels[c].hint}</span>
                  </label>
                </div>
              ))}
            </fieldset>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save e-mail settings'}
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}
