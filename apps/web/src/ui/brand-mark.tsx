export const BrandMark = ({ size = 18 }: { size?: number }) => (
  <span className="brand-mark" aria-hidden="true">
    <svg viewBox="0 0 24 24" width={size} height={size}>
      <path d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z" fill="currentColor" />
    </svg>
  </span>
);
