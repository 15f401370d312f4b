import { formatScaled } from '@ticker/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { readDraft } from '../../alerts/alert-draft';
import type { DraftFields } from '../../alerts/alert-draft';
import type { AlertEditing } from '../../alerts/alerts-slice';
import { MAX_ALERTS } from '../../alerts/price-alert';
import type { PriceAlert } from '../../alerts/price-alert';
import { useDashboardStore, useDashboardStoreApi, useFeedBridge } from '../../dashboard-context';

/**
 * The dialog that sets or edits a price alert: above or below, a price or a change since the
 * open. It opens on the store's `alertEditing` (a chart's or a row's bell, an alert's Edit) as a
 * modal `<dialog>`, which keeps focus inside and closes on Escape.
 */
export function AlertEditor() {
  const editing = useDashboardStore((s) => s.alertEditing);
  const editAlert = useDashboardStore((s) => s.editAlert);
  const dialog = useRef<HTMLDialogElement | null>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (editing && !element.open) element.showModal();
    if (!editing && element.open) element.close();
  }, [editing]);
  return (
    <dialog
      ref={dialog}
      className="alert-editor"
      aria-labelledby="alert-editor-title"
      onClose={() => {
        editAlert(null);
      }}
    >
      {editing && (
        <AlertForm
          key={`${editing.ticker}/${editing.alertId ?? 'new'}`}
          editing={editing}
          onDone={() => {
            editAlert(null);
          }}
        />
      )}
    </dialog>
  );
}

function AlertForm({
  editing,
  onDone,
}: {
  readonly editing: AlertEditing;
  readonly onDone: () => void;
}) {
  const store = useDashboardStoreApi();
  const bridge = useFeedBridge();
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(editing.ticker));
  const existing = useDashboardStore((s) => s.alerts.find((a) => a.id === editing.alertId));
  const decimals = symbol?.priceDecimals ?? 0;
  const [fields, setFields] = useState<DraftFields>(() =>
    initialFields(editing, existing, bridge.series(editing.ticker)?.session.last ?? null, decimals),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();

  const submit = () => {
    const session = bridge.series(editing.ticker)?.session;
    const result = readDraft(fields, {
      last: session?.last ?? null,
      open: session?.open ?? null,
      priceDecimals: decimals,
    });
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    const state = store.getState();
    if (existing) state.updateAlert(existing.id, result.draft, Date.now());
    else if (!state.addAlert(result.draft, Date.now())) {
      setProblem(`At most ${MAX_ALERTS} alerts can be set: remove one first`);
      return;
    }
    onDone();
  };

  return (
    <form
      method="dialog"
      className="alert-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2 id="alert-editor-title">
        {existing ? 'Edit alert' : 'New alert'}: {editing.ticker}
      </h2>
      <label htmlFor={`${ids}-direction`}>When {editing.ticker} trades</label>
      <select
        id={`${ids}-direction`}
        value={fields.direction}
        onChange={(event) => {
          setFields({ ...fields, direction: event.target.value === 'below' ? 'below' : 'above' });
        }}
      >
        <option value="above">at or above</option>
        <option value="below">at or below</option>
      </select>
      <fieldset className="alert-kind">
        <legend>Level</legend>
        <label>
          <input
            type="radio"
            name={`${ids}-kind`}
            checked={fields.kind === 'price'}
            onChange={() => {
              setFields({ ...fields, kind: 'price' });
            }}
          />
          Price
        </label>
        <label>
          <input
            type="radio"
            name={`${ids}-kind`}
            checked={fields.kind === 'change'}
            onChange={() => {
              setFields({ ...fields, kind: 'change' });
            }}
          />
          Change % since open
        </label>
      </fieldset>
      <label htmlFor={`${ids}-value`}>
        {fields.kind === 'price' ? 'Price level' : 'Change since open (%)'}
      </label>
      <input
        id={`${ids}-value`}
        inputMode="decimal"
        autoComplete="off"
        value={fields.value}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${ids}-problem` : undefined}
        onChange={(event) => {
          setFields({ ...fields, value: event.target.value });
          setProblem(null);
        }}
      />
      {problem && (
        <p id={`${ids}-problem`} className="alert-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="alert-form-actions">
        <button type="submit" className="primary-button">
          {existing ? 'Save alert' : 'Set alert'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function initialFields(
  editing: AlertEditing,
  existing: PriceAlert | undefined,
  last: number | null,
  decimals: number,
): DraftFields {
  if (existing) {
    const { condition } = existing;
    return {
      ticker: existing.ticker,
      direction: existing.direction,
      kind: condition.kind,
      value:
        condition.kind === 'price'
          ? formatScaled(condition.price, decimals)
          : String(condition.percent),
    };
  }
  const price = editing.price ?? last;
  return {
    ticker: editing.ticker,
    // A level clicked under the market is one to fall to.
    direction: editing.price !== null && last !== null && editing.price < last ? 'below' : 'above',
    kind: 'price',
    value: price === null ? '' : formatScaled(price, decimals),
  };
}
