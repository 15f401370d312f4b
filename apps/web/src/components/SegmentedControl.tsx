interface SegmentedControlProps<T extends string> {
  readonly label: string;
  readonly options: readonly T[];
  /** Null: none pressed. */
  readonly value: T | null;
  readonly onChange: (value: T) => void;
  readonly optionLabel?: (option: T) => string;
  readonly disabled?: boolean;
}

/** A row of toggle buttons with one pressed: reachable by Tab, named by role in tests. */
export function SegmentedControl<T extends string>({
  label,
  options,
  value,
  onChange,
  optionLabel = (option) => option,
  disabled = false,
}: SegmentedControlProps<T>) {
  return (
    <div role="group" aria-label={label} className="segmented">
      <span className="segmented-label" aria-hidden="true">
        {label}
      </span>
      {options.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={option === value}
          disabled={disabled}
          onClick={() => {
            onChange(option);
          }}
        >
          {optionLabel(option)}
        </button>
      ))}
    </div>
  );
}
