import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { Alert } from './Alert';
import { useSession } from '../api';

let firstPage = true;

export interface Flash {
  type: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

/** Read a one-time message passed through navigation state: navigate(to, { state: { flash } }). */
export function useFlash(): Flash | null {
  const location = useLocation();
  const state = location.state as { flash?: Flash } | null;
  return state?.flash ?? null;
}

/** Sets the document title to "Title · Organization". */
export function useDocumentTitle(title: string): void {
  const session = useSession();
  const org = session.data?.organization.name;
  useEffect(() => {
    document.title = org ? `${title} · ${org}` : `${title} · CivicCert`;
  }, [title, org]);
}

interface PageProps {
  /** The h1 text; also the first part of the document title. */
  title: string;
  /** A different document title when the h1 is long or personal. */
  documentTitle?: string;
  /** Shown under the h1 in a smaller font. */
  lead?: ReactNode;
  children?: ReactNode;
}

/**
 * Every page starts here: it names the page in the document title and moves
 * keyboard focus to the h1 after each route change, so screen-reader users
 * hear where they landed.
 */
export function Page({ title, documentTitle, lead, children }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  const flash = useFlash();
  useDocumentTitle(documentTitle ?? title);

  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading.current?.focus();
  }, [pathname]);

  return (
    <>
      <h1 ref={heading} tabIndex={-1} className="page-heading">
        {title}
      </h1>
      {lead && <p className="usa-intro">{lead}</p>}
      {flash && (
        <Alert type={flash.type} headingLevel="h2" slim role="status" className="margin-bottom-3">
          {flash.text}
        </Alert>
      )}
      {children}
    </>
  );
}

/** A polite "loading" line for data that is on its way. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="usa-hint loading" role="status">
      Loading {what}…
    </p>
  );
}
