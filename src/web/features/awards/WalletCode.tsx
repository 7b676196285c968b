import { useMutation } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import type { z } from 'zod';
import type { credentialOffer } from '../../../contract/credentials';
import { api } from '../../api';
import { QrCode } from '../../components/QrCode';
import { ErrorAlert } from '../../components/PageError';
import { browserZone, formatDateTime } from '../../format';

type Offer = z.infer<typeof credentialOffer>;

/**
 * "Show QR code for a wallet" (ADR 0034): asks the server for a single-use address of the
 * holder's credential and draws it as a QR code, with when it stops working (in the viewer's zone,
 * labelled). "New code" asks again, which ends the code on the screen. The address is not written
 * out: whoever has it can take the credential once.
 */
export function WalletCode({ offerPath, what }: { offerPath: string; what: string }) {
  const offer = useMutation({ mutationFn: () => api.post<Offer>(offerPath) });
  const until = offer.data ? formatDateTime(offer.data.expiresAt, browserZone) : '';
  return (
    <div className="margin-y-2">
      {offer.error && <ErrorAlert error={offer.error} />}
      {!offer.data && (
        <Button type="button" outline onClick={() => offer.mutate()} disabled={offer.isPending}>
          {offer.isPending ? 'Preparing the code…' : 'Show QR code for a wallet'}
        </Button>
      )}
      <div aria-live="polite">
        {offer.data && (
          <figure className="margin-x-0" data-testid="wallet-code">
            <QrCode
              value={offer.data.offerUrl}
              size={256}
              alt={`QR code for a wallet app to fetch ${what}, once, until ${until}`}
            />
            <figcaption>
              Scan it with your wallet app (or your phone’s camera, which downloads the file). The code gives
              the credential once and works until <strong>{until}</strong>. Do not share a picture of it.
            </figcaption>
          </figure>
        )}
      </div>
      {offer.data && (
        <Button type="button" outline onClick={() => offer.mutate()} disabled={offer.isPending}>
          {offer.isPending ? 'Preparing the code…' : 'New code'}
        </Button>
      )}
    </div>
  );
}
