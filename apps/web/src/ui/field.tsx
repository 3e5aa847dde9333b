import type { ReactNode } from 'react';

interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly children: ReactNode;
  readonly className?: string;
}

export const Field = ({ label, error, hint, children, className }: FieldProps) => (
  <label className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
    <span>{label}</span>
    {children}
    {error ? (
      <small className="field-error" role="alert">
        {error}
      </small>
    ) : hint ? (
      <small className="muted">{hint}</small>
    ) : null}
  </label>
);
