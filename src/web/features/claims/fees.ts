import type { ClaimDto } from '../../../contract/claims';
import type { feeMethods } from '../../../contract/programs';

export const claimFeeStatusLabels: Record<ClaimDto['fee']['status'], string> = {
  not_required: 'No fee',
  unpaid: 'Not paid yet',
  paid: 'Paid',
  waived: 'Waived',
  invoiced: 'Invoiced',
};

export const feeMethodLabels: Record<(typeof feeMethods)[number], string> = {
  check: 'Check',
  card: 'Card',
  cash: 'Cash',
  ach: 'Bank transfer (ACH)',
  purchase_order: 'Purchase order',
  other: 'Other',
};

export function money(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/** "Paid by check, receipt R-1" / "Invoiced, invoice INV-7" / "Not paid yet". */
export function feeStateText(fee: ClaimDto['fee']): string {
  const label = claimFeeStatusLabels[fee.status];
  if (fee.status === 'paid')
    return `${label}${fee.method ? ` by ${feeMethodLabels[fee.method].toLowerCase()}` : ''}${fee.receipt ? `, receipt ${fee.receipt}` : ''}`;
  if (fee.status === 'invoiced') return `${label}${fee.receipt ? `, invoice ${fee.receipt}` : ''}`;
  return `${label}${fee.receipt ? ` (${fee.receipt})` : ''}`;
}
