import { type CalendarDate, parseDate } from "@internationalized/date";
import { useState } from "react";
import {
  Button,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DateRangePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Radio,
  RadioGroup,
  RangeCalendar,
  Select,
  SelectValue,
  Text,
} from "react-aria-components";
import {
  MAX_PERIOD_DAYS,
  PERIOD_KINDS,
  PERIOD_WORDS,
  type PeriodKind,
  type PeriodSearch,
  rangeProblem,
} from "./period";

type Range = { start: CalendarDate; end: CalendarDate };

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
  const [value, setValue] = useState<Range | null>(() => ({ start: parseDate(from), end: parseDate(to) }));
  const [problem, setProblem] = useState<string | null>(null);
  const change = (next: Range | null) => {
    setValue(next);
    const p = rangeProblem(next?.start.toString(), next?.end.toString());
    setProblem(p);
    if (p === null && next) onChange(next.start.toString(), next.end.toString());
  };
  return (
    <DateRangePicker
      className="field date-range"
      value={value}
      onChange={change}
      isInvalid={problem !== null}
      validationBehavior="aria"
    >
      <Label>Dates</Label>
      <Group className="date-range-group">
        <DateInput slot="start" className="date-input">
          {(segment) => <DateSegment segment={segment} className="date-segment" />}
        </DateInput>
        <span aria-hidden="true">–</span>
        <DateInput slot="end" className="date-input">
          {(segment) => <DateSegment segment={segment} className="date-segment" />}
        </DateInput>
        <Button className="secondary icon" aria-label="Open the calendar">
          <span aria-hidden="true">▾</span>
        </Button>
      </Group>
      <Text slot="description" className="description">
        At most {MAX_PERIOD_DAYS} days, in your organization's days.
      </Text>
      <FieldError className="field-error">{problem}</FieldError>
      <Popover className="popover calendar-popover">
        <Dialog className="calendar-dialog" aria-label="Choose the dates">
          <RangeCalendar className="calendar">
            <header className="calendar-head">
              <Button slot="previous" className="secondary icon" aria-label="Previous month">
                <span aria-hidden="true">◀</span>
              </Button>
              <Heading />
              <Button slot="next" className="secondary icon" aria-label="Next month">
                <span aria-hidden="true">▶</span>
              </Button>
            </header>
            <CalendarGrid>{(date) => <CalendarCell date={date} className="calendar-cell" />}</CalendarGrid>
          </RangeCalendar>
        </Dialog>
      </Popover>
    </DateRangePicker>
  );
}
