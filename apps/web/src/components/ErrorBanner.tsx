import { useDashboardStore } from '../dashboard-context';

/** Shows the store's error slot (e.g. a failed subscription) until the user dismisses it. */
export function ErrorBanner() {
  const error = useDashboardStore((s) => s.error);
  const setError = useDashboardStore((s) => s.setError);
  if (error === null) return null;
  return (
    <div role="alert" className="error-banner">
      <span>{error}</span>
      <button
        type="button"
        aria-label="Dismiss error"
        onClick={() => {
          setError(null);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
