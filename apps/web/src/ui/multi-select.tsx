import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface MultiSelectOption<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly icon?: ReactNode;
  readonly hint?: string;
}

interface MultiSelectProps<T extends string> {
  readonly label: string;
  readonly options: readonly MultiSelectOption<T>[];
  readonly value: readonly T[];
  readonly onChange: (value: T[]) => void;
  readonly testId?: string;
}

/** A compact dropdown of checkboxes, closed by Escape or a click outside. */
export const MultiSelect = <T extends string>({ label, options, value, onChange, testId }: MultiSelectProps<T>) => {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const toggle = (option: T) => onChange(value.includes(option) ? value.filter((v) => v !== option) : [...value, option]);
  const summary =
    value.length === 0 ? 'All' : value.length === 1 ? (options.find((o) => o.value === value[0])?.label ?? value[0]) : `${value.length} selected`;

  return (
    <div className="multi-select" ref={ref} data-testid={testId}>
      <button type="button" className={`filter-button${value.length > 0 ? ' has-value' : ''}`} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <span className="filter-label">{label}</span>
        <span className="filter-value">{summary}</span>
        <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true">
          <path d="M5 8l5 5 5-5" stroke="currentColor" strokeWidth="1.8" fill="none" />
        </svg>
      </button>
      {open ? (
        <div className="popover" role="listbox" aria-multiselectable="true">
          {options.length === 0 ? <div className="popover-empty muted">Nothing to choose</div> : null}
          {options.map((option) => (
            <label key={option.value} className="popover-option">
              <input type="checkbox" checked={value.includes(option.value)} onChange={() => toggle(option.value)} data-testid={testId ? `${testId}-${option.value}` : undefined} />
              {option.icon}
              <span className="grow">{option.label}</span>
              {option.hint ? <span className="muted small">{option.hint}</span> : null}
            </label>
          ))}
          {value.length > 0 ? (
            <button type="button" className="popover-clear" onClick={() => onChange([])}>
              Clear
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
};
