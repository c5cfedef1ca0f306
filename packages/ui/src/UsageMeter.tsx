import { Label, Meter } from "react-aria-components";

export type MeterLevel = "ok" | "warning" | "over";

/** Amber from 80% of a cap, red at 100%: the one rule for every meter in the app. */
export function meterLevel(value: number, max: number): MeterLevel {
  if (max <= 0) return value > 0 ? "over" : "ok";
  const share = value / max;
  return share >= 1 ? "over" : share >= 0.8 ? "warning" : "ok";
}

const LEVEL_WORDS: Record<MeterLevel, string> = {
  ok: "",
  warning: "Nearly at the limit",
  over: "Limit reached",
};

/**
 * How much of a cap is used. The level is said in words as well as colour; `valueText` is what a
 * screen reader reads ("$4.20 of $10.00").
 */
export function UsageMeter({
  label,
  value,
  max,
  valueText,
}: {
  label: string;
  value: number;
  max: number;
  valueText: string;
}) {
  const level = meterLevel(value, max);
  return (
    <Meter
      className={`meter meter-${level}`}
      value={Math.min(value, max)}
      minValue={0}
      maxValue={max > 0 ? max : 1}
      valueLabel={valueText}
      data-level={level}
    >
      {({ percentage }) => (
        <>
          <div className="meter-head">
            <Label>{label}</Label>
            <span className="meter-value">{valueText}</span>
          </div>
          <div className="meter-track" aria-hidden="true">
            <div className="meter-fill" style={{ width: `${percentage}%` }} />
          </div>
          {LEVEL_WORDS[level] && <span className="meter-level">{LEVEL_WORDS[level]}</span>}
        </>
      )}
    </Meter>
  );
}
