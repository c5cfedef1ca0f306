import { DateRangeField } from "@wedsync/ui/DateRangeField";
import {
  Button,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Radio,
  RadioGroup,
  Select,
  SelectValue,
} from "react-aria-components";
import {
  MAX_PERIOD_DAYS,
  PERIOD_KINDS,
  PERIOD_WORDS,
  type PeriodKind,
  type PeriodSearch,
  rangeProblem,
} from "./period";

/** Years offered: this one and the three before (the API keeps three years of history for the season). */
function yearsUpTo(today: string): number[] {
  const year = Number(today.slice(0, 4));
  return [year, year - 1, year - 2, year - 3];
}

/**
 * The analytics period: this month, the last 30 days, a custom range (a React Aria date range
 * picker, refused in place past MAX_PERIOD_DAYS or backwards) or a calendar year. Every choice
 * is a new search (the URL): a link opens the same period, and Back returns to the last one.
 */
export function PeriodChooser({
  search,
  shown,
  today,
  onChange,
}: {
  search: PeriodSearch;
  /** The days on screen now: what "Custom range" starts from. */
  shown: { from: string; to: string };
  today: string;
  onChange: (search: PeriodSearch) => void;
}) {
  const chooseKind = (kind: string) => {
    const period = kind as PeriodKind;
    if (period === "range") onChange({ period, from: shown.from, to: shown.to });
    else if (period === "year") onChange({ period, year: Number(today.slice(0, 4)) });
    else if (period === "30d") onChange({ period });
    else onChange({});
  };
  return (
    <div className="period-chooser">
      <RadioGroup
        className="period-options"
        orientation="horizontal"
        value={search.period ?? "month"}
        onChange={chooseKind}
        aria-label="Period"
      >
        {PERIOD_KINDS.map((k) => (
          <Radio key={k} value={k} className="period-option">
            {PERIOD_WORDS[k]}
          </Radio>
        ))}
      </RadioGroup>
      {search.period === "range" && (
        <RangeField
          key={`${search.from}/${search.to}`}
          from={search.from ?? shown.from}
          to={search.to ?? shown.to}
          onChange={(from, to) => onChange({ period: "range", from, to })}
        />
      )}
      {search.period === "year" && (
        <Select
          className="field year-select"
          selectedKey={search.year ?? Number(today.slice(0, 4))}
          onSelectionChange={(key) => onChange({ period: "year", year: Number(key) })}
        >
          <Label>Year</Label>
          <Button className="secondary select-button">
            <SelectValue />
            <span aria-hidden="true"> ▾</span>
          </Button>
          <Popover className="popover">
            <ListBox className="listbox">
              {yearsUpTo(today).map((y) => (
                <ListBoxItem key={y} id={y} className="listbox-item">
                  {String(y)}
                </ListBoxItem>
              ))}
            </ListBox>
          </Popover>
        </Select>
      )}
    </div>
  );
}

/** The custom range: typed or picked on a calendar; applied once both ends make a usable range. */
function RangeField({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
}) {
  return (
    <DateRangeField
      label="Dates"
      value={{ from, to }}
      problemOf={(r) => rangeProblem(r?.from, r?.to)}
      onChange={(r) => {
        if (r) onChange(r.from, r.to);
      }}
      description={`At most ${MAX_PERIOD_DAYS} days, in your organization's days.`}
    />
  );
}
