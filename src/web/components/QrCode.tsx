import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code of an address, drawn in the browser (the `qrcode` package): the verification page of
 * an award (ADR 0028) and a wallet code of a credential (ADR 0034). Nothing is drawn until the
 * image is ready; `alt` says what the code is for.
 */
export function QrCode({ value, size = 192, alt }: { value: string; size?: number; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(value, { margin: 1, width: size }).then((d) => live && setSrc(d));
    return () => {
      live = false;
    };
  }, [value, size]);
  return src ? <img src={src} width={size} height={size} alt={alt} /> : null;
}
