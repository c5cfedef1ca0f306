import { addMonths, daysOf, lastDayOfMonth, monthsBetween } from "@wedsync/core/calendar";
import { type Season, seasonIndexOf } from "@wedsync/core/domain";

export type ExpectationBasis = "previous-12-months" | "this-period" | "none";

export interface Expectation {
  /** Expected requests at each point of the chart (day or month), rounded to whole requests. */
  byPoint: Map<string, number>;
  /** Requests on an average day with the season taken out. */
  perDay: number;
  basis: ExpectationBasis;
}

/**
 * What the season alone predicts for each day of the period: an average day's requests with the
 * season taken out, times the index of the day's month. The average day comes from the 12 whole
 * months before the period (requests ÷ the sum over those months of days × index); without any
 * requests then, from the period's own days up to today (requests ÷ the sum of their indices),
 * which shows the period's shape against its own level.
 */
export function expectedRequests(input: {
  period: { from: string; to: string };
  by: "day" | "month";
  today: string;
  season: Pick<Season, "index">;
  /** Requests per month ("YYYY-MM"), any months. */
  requestsByMonth: ReadonlyMap<string, number>;
  /** The period's requests per day. */
  requestsByDay: ReadonlyMap<string, number>;
}): Expectation {
  const { period, by, today, season } = input;
  const first = period.from.slice(0, 7);
  const before = monthsBetween(addMonths(first, -12), addMonths(first, -1));
  const history = before.reduce((n, m) => n + (input.requestsByMonth.get(m) ?? 0), 0);
  let perDay = 0;
  let basis: ExpectationBasis = "none";
  if (history > 0) {
    const weight = before.reduce(
      (w, m) => w + Number(lastDayOfMonth(m).slice(8)) * seasonIndexOf(season, m),
      0,
    );
    perDay = history / weight;
    basis = "previous-12-months";
  } else {
    const days = daysOf(period).filter((d) => d <= today);
    const requests = days.reduce((n, d) => n + (input.requestsByDay.get(d) ?? 0), 0);
    if (requests > 0) {
      perDay = requests / days.reduce((w, d) => w + seasonIndexOf(season, d), 0);
      basis = "this-period";
    }
  }
  const sums = new Map<string, number>();
  for (const day of daysOf(period)) {
    const point = by === "day" ? day : day.slice(0, 7);
    sums.set(point, (sums.get(point) ?? 0) + perDay * seasonIndexOf(season, day));
  }
  return { byPoint: new Map([...sums].map(([p, v]) => [p, Math.round(v)])), perDay, basis };
}
