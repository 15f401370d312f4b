/** One entry of a `RemovableList`: what identifies it, and what it is called. */
export interface RemovableItem {
  readonly key: string;
  readonly label: string;
}

/**
 * What a menu has added (indicators on the chart, compared symbols), each with a × that
 * removes it; nothing when the list is empty.
 */
export function RemovableList({
  label,
  items,
  removeLabel,
  onRemove,
}: {
  /** The list's accessible name. */
  readonly label: string;
  readonly items: readonly RemovableItem[];
  /** The × button's accessible name for an item, e.g. `Remove SMA 20`. */
  readonly removeLabel: (item: RemovableItem) => string;
  readonly onRemove: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul className="indicator-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.key}>
          {item.label}
          <button
            type="button"
            aria-label={removeLabel(item)}
            onClick={() => {
              onRemove(item.key);
            }}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
