import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, useSession, type Person } from '../../api';
import { allowed } from '../../auth';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import { PersonForm, takesCounties, type PersonValues } from './PersonForm';

function body(values: PersonValues) {
  return {
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    preferredName: values.preferredName.trim() || null,
    email: values.email.trim(),
    phone: values.phone.trim() || null,
    title: values.title || null,
    jurisdictionFips: values.jurisdictionFips || null,
  };
}

export function NewPersonPage() {
  const session = useSession();
  const user = session.data!.user!;
  const canSetRoles = allowed(user, 'people.roles.update');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [attempt, setAttempt] = useState(0);

  const create = useMutation({
    mutationFn: (values: PersonValues) =>
      api.post<Person>('/api/people', {
        ...body(values),
        ...(canSetRoles ? { roles: values.roles } : {}),
        sendInvite: values.sendInvite,
      }),
    onSuccess: (person, values) => {
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
      queryClient.setQueryData(['person', person.id], person);
      navigate(`/people/${person.id}`, {
        state: {
          flash: {
            type: 'success',
            text: values.sendInvite
              ? `Added ${person.displayName}. We sent an invitation to ${person.email}.`
              : `Added ${person.displayName}. No invitation was sent; you can send one from this page.`,
          },
        },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  return (
    <Page title="Add a person">
      <PersonForm
        mode="create"
        person={null}
        canSetRoles={canSetRoles}
        submitLabel="Add person"
        cancelTo="/people"
        pending={create.isPending}
        error={create.error}
        attempt={attempt}
        onSubmit={(values) => create.mutate(values)}
      />
    </Page>
  );
}

export function EditPersonPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [attempt, setAttempt] = useState(0);
  const person = useQuery({ queryKey: ['person', id], queryFn: () => api.get<Person>(`/api/people/${id}`) });
  // Whether this person's roles are the user's to change (personAbilities: administrators, not their own).
  const canSetRoles = person.data?.abilities.updateRoles ?? false;

  const save = useMutation({
    mutationFn: async (values: PersonValues) => {
      // The sign-in address is sent only when it changes: a new one waits for confirmation from it.
      const { email, ...details } = body(values);
      let saved = await api.patch<Person>(
        `/api/people/${id}`,
        email === person.data?.email ? details : { ...details, email },
      );
      const counties = takesCounties(values.roles) ? values.counties : [];
      const programs = values.roles.includes('coordinator') ? values.programs : [];
      const key = (roles: readonly string[], c: readonly string[], p: readonly string[]) =>
        [[...roles].sort().join(), [...c].sort().join(), [...p].sort().join()].join('|');
      const before = key(person.data?.roles ?? [], person.data?.counties ?? [], person.data?.programs ?? []);
      if (canSetRoles && key(values.roles, counties, programs) !== before) {
        saved = await api.put<Person>(`/api/people/${id}/roles`, { roles: values.roles, counties, programs });
      }
      return saved;
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(['person', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      navigate(`/people/${id}`, {
        state: {
          flash: {
            type: 'success',
            text:
              saved.pendingEmail && saved.pendingEmail !== person.data?.pendingEmail
                ? `Saved the changes to ${saved.displayName}. A confirmation link was sent to ${saved.pendingEmail}; the sign-in address changes when it is followed.`
                : `Saved the changes to ${saved.displayName}.`,
          },
        },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  if (person.isError) return <PageError error={person.error} title="Edit person" what="person" />;
  if (!person.data)
    return (
      <Page title="Edit person">
        <Loading what="this person" />
      </Page>
    );
  return (
    <Page title={`Edit ${person.data.displayName}`} documentTitle="Edit person">
      <PersonForm
        key={person.data.id}
        mode="edit"
        person={person.data}
        canSetRoles={canSetRoles}
        submitLabel="Save changes"
        cancelTo={`/people/${id}`}
        pending={save.isPending}
        error={save.error}
        attempt={attempt}
        onSubmit={(values) => save.mutate(values)}
      />
    </Page>
  );
}
