import { type CalendarDate, parseDate } from "@internationalized/date";
import { type ReactNode, useState } from "react";
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
  Popover,
  RangeCalendar,
  Text,
} from "react-aria-components";

/** A range of whole days, "YYYY-MM-DD" each, both included. */
export interface DaysRange {
  from: string;
  to: string;
}

type Range = { start: CalendarDate; end: CalendarDate };

const toRange = (r: DaysRange | null): Range | null =>
  r ? { start: parseDate(r.from), end: parseDate(r.to) } : null;

/**
 * A range of days, typed segment by segment or picked on a calendar (React Aria's
 * DateRangePicker). A range is handed on only once `problemOf` finds nothing wrong with it;
 * otherwise the problem is shown in place, naming the limit. With `clearable`, "Clear dates"
 * hands on null (no range). Key it on the range it shows to start again from a new one.
 */
export function DateRangeField({
  label,
  description,
  value,
  onChange,
  problemOf = () => null,
  clearable = false,
  className,
}: {
  label: string;
  description?: ReactNode;
  value: DaysRange | null;
  onChange: (range: DaysRange | null) => void;
  /** Why a range (null: none chosen) cannot be used, in words; null when it can. */
  problemOf?: (range: DaysRange | null) => string | null;
  clearable?: boolean;
  className?: string;
}) {
  const [shown, setShown] = useState<Range | null>(() => toRange(value));
  const [problem, setProblem] = useState<string | null>(null);
  const change = (next: Range | null) => {
    setShown(next);
    const range = next && { from: next.start.toString(), to: next.end.toString() };
    const p = problemOf(range);
    setProblem(p);
    if (p === null) onChange(range);
  };
  return (
    <div className={["date-range-field", className].filter(Boolean).join(" ")}>
      <DateRangePicker
        className="field date-range"
        value={shown}
        onChange={change}
        isInvalid={problem !== null}
        validationBehavior="aria"
      >
        <Label>{label}</Label>
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
        {description && (
          <Text slot="description" className="description">
            {description}
          </Text>
        )}
        <FieldError className="field-error">{problem}</FieldError>
        <Popover className="popover calendar-popover">
          <Dialog className="calendar-dialog" aria-label={`Choose the ${label.toLowerCase()}`}>
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
      {clearable && shown !== null && (
        <Button
          className="secondary"
          onPress={() => change(null)}
          aria-label={`Clear the ${label.toLowerCase()}`}
        >
          Clear
        </Button>
      )}
    </div>
  );
}
