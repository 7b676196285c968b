import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { SecondFactorStatusResponse } from '../../../contract/auth';
import { api } from '../../api';
import { browserZone, formatDateTime } from '../../format';
import { ErrorAlert } from '../../components/PageError';

/** For administrators on a person's page: is two-step sign-in on, and a reset for a lost phone. */
export function SecondFactorAdmin({ personId, name }: { personId: string; name: string }) {
  const queryClient = useQueryClient();
  const key = ['person', personId, 'second-factor'];
  const status = useQuery({
    queryKey: key,
    queryFn: () => api.get<SecondFactorStatusResponse>(`/api/people/${personId}/second-factor`),
  });
  const reset = useMutation({
    mutationFn: () => api.post(`/api/people/${personId}/second-factor/reset`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  if (!status.data) return null;
  const s = status.data;
  return (
    <section aria-labelledby="second-factor-heading" className="margin-top-4">
      <h2 id="second-factor-heading">Two-step sign-in</h2>
      {reset.isSuccess && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
          Two-step sign-in was reset. {name} was signed out everywhere and told by e-mail.
        </Alert>
      )}
      {reset.isError && <ErrorAlert error={reset.error} heading="Two-step sign-in was not reset" />}
      <p>
        {s.enabled
          ? `On since ${s.enabledAt ? formatDateTime(s.enabledAt, browserZone) : 'set-up'}; ${s.recoveryCodesLeft} recovery codes left.`
          : s.required
            ? 'Not set up yet. As staff, they must set it up the next time they sign in.'
            : 'Off.'}
      </p>
      {s.enabled && (
        <Button
          type="button"
          outline
          onClick={() => {
            if (
              window.confirm(`Reset two-step sign-in for ${name}? Use this when they have lost their phone.`)
            )
              reset.mutate();
          }}
          disabled={reset.isPending}
        >
          Reset two-step sign-in
        </Button>
      )}
    </section>
  );
}
