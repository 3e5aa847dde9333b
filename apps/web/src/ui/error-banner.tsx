import { errorMessage } from '../api/client.ts';

export const ErrorBanner = ({ error, testId = 'error' }: { error: unknown; testId?: string }) =>
  error ? (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      {errorMessage(error)}
    </div>
  ) : null;
