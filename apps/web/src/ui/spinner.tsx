export const Spinner = ({ label = 'Loading…' }: { label?: string }) => (
  <div className="spinner-wrap" role="status" aria-live="polite">
    <span className="spinner" aria-hidden="true" />
    <span>{label}</span>
  </div>
);
