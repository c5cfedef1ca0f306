import { dayInTimezone } from "@wedsync/core/calendar";
import { useEffect, useState } from "react";

/**
 * The organization's today ("YYYY-MM-DD" in its timezone), which turns over at its midnight even
 * while the screen stays open: the daily caps start again then.
 */
export function useToday(timeZone: string): string {
  const [today, setToday] = useState(() => dayInTimezone(new Date(), timeZone));
  useEffect(() => {
    setToday(dayInTimezone(new Date(), timeZone));
    const timer = setInterval(() => setToday(dayInTimezone(new Date(), timeZone)), 30_000);
    return () => clearInterval(timer);
  }, [timeZone]);
  return today;
}
