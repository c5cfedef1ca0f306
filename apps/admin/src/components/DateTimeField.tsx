import { fromDate, now, type ZonedDateTime } from "@internationalized/date";
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Label,
  Popover,
  Text,
} from "react-aria-components";
import { localTimeZone } from "../lib/when";

/** A date and time to the minute in the staff member's own zone, as a picker value. */
export function zonedMinute(at: Date, timeZone: string = localTimeZone()): ZonedDateTime {
  return fromDate(at, timeZone).set({ second: 0, millisecond: 0 });
}

/**
 * A date and time picked to the minute (typed segment by segment or chosen on a calendar), in the
 * staff member's zone, which the field shows. Days before `notBefore` are greyed out on the
 * calendar; the form's own rule (from core) decides what is refused and says why in `error`.
 */
export function DateTimeField({
  label,
  description,
  value,
  onChange,
  onBlur,
  error,
  notBefore,
  name,
}: {
  label: string;
  description: string;
  value: ZonedDateTime | null;
  onChange: (value: ZonedDateTime | null) => void;
  onBlur?: () => void;
  error: string | undefined;
  notBefore?: Date;
  name?: string;
}) {
  const zone = localTimeZone();
  return (
    <DatePicker
      className="field"
      name={name}
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      granularity="minute"
      hourCycle={24}
      placeholderValue={now(zone).set({ second: 0, millisecond: 0 })}
      minValue={notBefore ? zonedMinute(notBefore, zone) : undefined}
      isInvalid={error !== undefined}
      validationBehavior="aria"
    >
      <Label>{label}</Label>
      <Group className="date-range-group">
        <DateInput className="date-input">
          {(segment) => <DateSegment segment={segment} className="date-segment" />}
        </DateInput>
        <Button className="secondary icon" aria-label={`Choose the day of “${label}” on a calendar`}>
          <span aria-hidden="true">▾</span>
        </Button>
      </Group>
      <Text slot="description" className="description">
        {description}
      </Text>
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover">
        <Dialog className="calendar-dialog" aria-label={`Calendar for “${label}”`}>
          <Calendar className="calendar">
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
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}
