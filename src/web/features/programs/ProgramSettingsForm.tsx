import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Checkbox, Fieldset, Form } from '@trussworks/react-uswds';
import type { ProgramDetail } from '../../../contract/programs';
import { api } from '../../api';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';

const fields = {
  feeAmountCents: { id: 'settings-fee', label: 'Enrollment fee' },
  claimFeePerCreditCents: { id: 'settings-claim-fee', label: 'Fee per outside credit' },
  partialCredit: { id: 'settings-partial', label: 'Partial credit' },
};

/**
 * Fee settings: the enrollment fee new enrollments start from, the fee per
 * credit on outside-credit claims (0, off, unless the program charges one), and whether
 * partial attendance earns partial credit. They are not versioned with the
 * rules, so saving applies them at once (enrollments already made keep
 * their own fee).
 */
export function ProgramSettingsForm({
  program,
  onSaved,
}: {
  program: ProgramDetail;
  onSaved: (next: ProgramDetail, message: string) => void;
}) {
  const [fee, setFee] = useState((program.feeAmountCents / 100).toFixed(2));
  const [claimFee, setClaimFee] = useState((program.claimFeePerCreditCents / 100).toFixed(2));
  const [partial, setPartial] = useState(program.partialCredit);
  const documented = (program.definition as { claimFee?: { perCreditUsd?: number; note?: string } } | null)
    ?.claimFee;
  const [local, setLocal] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const save = useMutation({
    mutationFn: () =>
      api.patch<ProgramDetail>(`/api/programs/${program.id}`, {
        feeAmountCents: Math.round(Number(fee.trim()) * 100),
        claimFeePerCreditCents: Math.round(Number(claimFee.trim()) * 100),
        partialCredit: partial,
      }),
    onSuccess: (next) =>
      onSaved(next, 'Fee settings saved. New enrollments and claims submitted from now on use them.'),
    onError: () => setAttempt((n) => n + 1),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!/^\d+(\.\d{1,2})?$/.test(fee.trim()))
      errors.feeAmountCents = 'Enter the fee in dollars, like 25 or 25.00.';
    if (!/^\d+(\.\d{1,2})?$/.test(claimFee.trim()))
      errors.claimFeePerCreditCents = 'Enter the fee per credit in dollars, like 5 or 0 for no fee.';
    setLocal(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate();
  };
  const server = formErrors(save.error);
  const fieldErrors = { ...server, ...local };
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Fee settings</h2>
      <ErrorSummary
        error={Object.keys(local).length ? null : save.error}
        fieldErrors={fieldErrors}
        fields={fields}
        attempt={attempt}
      />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="Enrollment fee and credit" legendStyle="srOnly">
          <TextField
            id="settings-fee"
            label="Enrollment fee in dollars"
            hint="New enrollments and requests start from this amount; 0 means free."
            inputMode="numeric"
            className="usa-input--small"
            value={fee}
            onChange={setFee}
            error={fieldErrors.feeAmountCents}
          />
          <TextField
            id="settings-claim-fee"
            label="Fee per outside credit in dollars"
            hint={`Charged on each outside-credit claim when it is submitted, per credit; 0 means no fee (the default).${
              documented?.perCreditUsd !== undefined
                ? ` The program definition documents $${documented.perCreditUsd} a credit, not in force: ${documented.note ?? ''}`
                : ''
            }`}
            inputMode="numeric"
            className="usa-input--small"
            value={claimFee}
            onChange={setClaimFee}
            error={fieldErrors.claimFeePerCreditCents}
          />
          <Checkbox
            id="settings-partial"
            name="settings-partial"
            label="Give partial credit for partial attendance (rounded down to a quarter credit)"
            checked={partial}
            onChange={(e) => setPartial(e.target.checked)}
          />
        </Fieldset>
        <Button type="submit" className="margin-top-2" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save fee settings'}
        </Button>
      </Form>
    </section>
  );
}
