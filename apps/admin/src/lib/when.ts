/** The time zone of the person at the screen: staff set throttles and prices in their own time. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * An instant as staff read it, with its zone so nobody guesses: "Tue 9 Dec, 14:30 GMT", the year
 * added when it is not this year's ("Wed 31 Dec 2025, 23:00 GMT"). Built from parts, so every
 * browser writes it the same way.
 */
export function whenWords(at: Date, now: Date = new Date(), timeZone: string = localTimeZone()): string {
  const parts = (d: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone,
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZoneName: "short",
      })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
  const p = parts(at);
  const year = p.year === parts(now).year ? "" : ` ${p.year}`;
  return `${p.weekday} ${p.day} ${p.month}${year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}
