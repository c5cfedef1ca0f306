import { DateRangeField } from "@wedsync/ui/DateRangeField";
import { Radio, RadioGroup } from "react-aria-components";
import {
  MAX_RANGE_DAYS,
  PERIOD_KINDS,
  PERIOD_WORDS,
  type PeriodKind,
  type PeriodSearch,
  rangeProblem,
} from "./period";

/**
 * The period: the last 24 hours, 7 or 30 days, or chosen UTC days (a React Aria date range
 * picker, refused in place past MAX_RANGE_DAYS, backwards or in the future). Every choice is a
 * new address: a link opens the same period, and Back returns to the last one.
 */
export function PeriodChooser({
  search,
  todayUtc,
  onChange,
}: {
  search: PeriodSearch;
  todayUtc: string;
  onChange: (search: PeriodSearch) => void;
}) {
  const choose = (kind: string) => {
    const period = kind as PeriodKind;
    if (period === "range") onChange({ period, from: search.from ?? todayUtc, to: search.to ?? todayUtc });
    else onChange(period === "24h" ? {} : { period });
  };
  return (
    <div className="period-chooser">
      <RadioGroup
        className="period-options"
        orientation="horizontal"
        value={search.period ?? "24h"}
        onChange={choose}
        aria-label="Period"
      >
        {PERIOD_KINDS.map((k) => (
          <Radio key={k} value={k} className="period-option">
            {PERIOD_WORDS[k]}
          </Radio>
        ))}
      </RadioGroup>
      {search.period === "range" && (
        <DateRangeField
          key={`${search.from}/${search.to}`}
          label="Days"
          value={{ from: search.from ?? todayUtc, to: search.to ?? todayUtc }}
          problemOf={(r) => rangeProblem(r, todayUtc)}
          onChange={(r) => {
            if (r) onChange({ period: "range", from: r.from, to: r.to });
          }}
          description={`UTC days, at most ${MAX_RANGE_DAYS}.`}
        />
      )}
    </div>
  );
}
