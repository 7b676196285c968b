import type { HTMLAttributes, ReactNode } from 'react';

type HeadingLevel = 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6';

export type AlertProps = {
  type: 'success' | 'warning' | 'error' | 'info';
  heading?: ReactNode;
  headingLevel: HeadingLevel;
  slim?: boolean;
  noIcon?: boolean;
  children?: ReactNode;
} & HTMLAttributes<HTMLDivElement>;

/**
 * The USWDS alert, as @trussworks/react-uswds draws it but with its text in a
 * `<div class="usa-alert__text">` instead of a `<p>`: our alerts hold
 * paragraphs, lists and forms, which a `<p>` may not contain (the browser
 * builds a different tree from what React meant, and the page is invalid
 * HTML). USWDS styles the class, not the element. ESLint keeps the library's
 * Alert out of src/web.
 */
export function Alert({
  type,
  heading,
  headingLevel: Heading,
  slim = false,
  noIcon = false,
  className,
  children,
  ...props
}: AlertProps) {
  const classes = [
    'usa-alert',
    `usa-alert--${type}`,
    slim && 'usa-alert--slim',
    noIcon && 'usa-alert--no-icon',
    className,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} {...props}>
      <div className="usa-alert__body">
        {heading && <Heading className="usa-alert__heading">{heading}</Heading>}
        {children && <div className="usa-alert__text">{children}</div>}
      </div>
    </div>
  );
}
