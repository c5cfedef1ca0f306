import { PROJECTION_WINDOW_DAYS, type Projection, type Season } from "@wedsync/core/domain";
import { fromMicros, toMicros } from "@wedsync/core/money";
import { formatUsd } from "@wedsync/ui/format";
import { UsageMeter } from "@wedsync/ui/UsageMeter";
import { Button, Disclosure, DisclosurePanel, Heading } from "react-aria-components";
import { projectionAgainstLimit } from "./projection";
import { SEASON_SOURCE_WORDS } from "./seasonal";

const usd = (micros: bigint) => formatUsd(fromMicros(micros, 6), "auto");
const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
/** "2026-06" → "June" (or "June 2026"). */
export function monthWords(month: string, withYear = false): string {
  return (withYear ? monthYear : monthName).format(new Date(`${month}-01T00:00:00Z`));
}
const times = (index: number) => `${index.toFixed(2)}×`;

const VERDICT = {
  ok: "Expected to stay within the credit limit",
  warning: "Expected to come close to the credit limit",
  over: "Expected to go past the credit limit",
} as const;

/**
 * This month's spend against the monthly credit limit (owners and admins; members are told who
 * sees it) and the month's projection, with how it is computed in its own words and figures.
 */
export function MonthPanel({
  month,
  spentMicros,
  limitUsd,
  projection,
  season,
}: {
  month: string;
  spentMicros: bigint;
  /** The monthly credit limit, or null for someone who may not see it. */
  limitUsd: string | null;
  projection: Projection | null;
  season: Season;
}) {
  const limitMicros = limitUsd === null ? null : toMicros(limitUsd);
  const verdict =
    projection && limitMicros !== null
      ? projectionAgainstLimit(projection.projectedMicros, limitMicros)
      : null;
  return (
    <section className="panel month-panel" aria-labelledby="month-heading" data-testid="month-panel">
      <h2 id="month-heading">{monthWords(month, true)}</h2>
      {limitMicros !== null ? (
        <UsageMeter
          label="Spend this month"
          value={Number(spentMicros)}
          max={Number(limitMicros)}
          valueText={`${usd(spentMicros)} of ${formatUsd(limitUsd!, "cents")} credit limit`}
        />
      ) : (
        <>
          <p>
            Spent this month: <strong data-testid="month-spent">{usd(spentMicros)}</strong>
          </p>
          <p className="muted small">Owners and admins see the monthly credit limit.</p>
        </>
      )}

      <h3>Projection</h3>
      {projection === null ? (
        <p className="muted">
          Nothing spent in the last {PROJECTION_WINDOW_DAYS} days, so there is no spending rate to project
          from yet.
        </p>
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt>{monthWords(projection.month)}, projected</dt>
              <dd data-testid="projected-month">{usd(projection.projectedMicros)}</dd>
            </div>
            <div>
              <dt>{monthWords(projection.next.month)}, projected</dt>
              <dd data-testid="projected-next">{usd(projection.next.projectedMicros)}</dd>
            </div>
          </dl>
          {verdict && limitUsd !== null && (
            <p className={`projection-verdict level-${verdict.level}`} data-level={verdict.level}>
              {VERDICT[verdict.level]}
              {verdict.percent !== null && ` (${verdict.percent}% of ${formatUsd(limitUsd, "cents")})`}
              {verdict.overMicros > 0n && `, by ${usd(verdict.overMicros)}`}.
            </p>
          )}
          <p className="muted small">
            {monthWords(projection.next.month)} is usually {times(projection.next.index)} an average month
            {projection.next.index > projection.monthIndex
              ? `, busier than ${monthWords(projection.month)} (${times(projection.monthIndex)})`
              : ""}
            .
          </p>
          <Disclosure className="disclosure">
            <Heading level={4}>
              <Button slot="trigger" className="disclosure-trigger">
                How the projection is computed
              </Button>
            </Heading>
            <DisclosurePanel className="disclosure-panel">
              <ol className="small">
                <li>
                  Your spending rate: what you spent over the last {projection.basedOnDays}{" "}
                  {projection.basedOnDays === 1 ? "day" : "days"} (up to {PROJECTION_WINDOW_DAYS}, from your
                  first day with spend, today so far included), divided by those days' seasonal indices: what
                  an average day costs with the season taken out.
                </li>
                <li>
                  Each of the {projection.daysLeft} days left in {monthWords(projection.month)} adds that rate
                  × {monthWords(projection.month)}'s index {times(projection.monthIndex)} ={" "}
                  {usd(projection.perDayMicros)} a day: {usd(projection.restMicros)} on top of the{" "}
                  {usd(projection.spentMicros)} spent so far.
                </li>
                <li>
                  {monthWords(projection.next.month)}: {projection.next.days} days × the rate ×{" "}
                  {times(projection.next.index)}.
                </li>
                <li>
                  The seasonal indices come from {SEASON_SOURCE_WORDS[season.source]}
                  {season.months > 0 ? ` (${season.months} months)` : ""}. An index of 1.50 means that month
                  usually sees 1.5 times an average month.
                </li>
              </ol>
            </DisclosurePanel>
          </Disclosure>
        </>
      )}
    </section>
  );
}
