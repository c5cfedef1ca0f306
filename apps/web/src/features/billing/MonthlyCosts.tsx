import { addMonths, monthInTimezone } from "@wedsync/core/calendar";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { monthLabel } from "@wedsync/ui/months";
import { Loading } from "@wedsync/ui/StatusViews";
import { type RouterOutputs, trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { useMemo, useState } from "react";
import { MonthSelect } from "./MonthSelect";

export type MonthlyCostsData = RouterOutputs["billing"]["monthlyCosts"];

/** Cost of a month by feature, with the month's total (billing.monthlyCosts). */
export function MonthlyCostsTable({ data }: { data: MonthlyCostsData }) {
  return (
    <div className="table-scroll">
      <table className="data" data-testid="monthly-costs">
        <caption>Costs in {monthLabel(data.month)} by feature</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Turned away
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {data.byFeature.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No requests this month.
              </td>
            </tr>
          ) : (
            data.byFeature.map((f) => (
              <tr key={f.featureType}>
                <th scope="row">{featureWords(f.featureType)}</th>
                <td className="num">{formatCount(f.requests)}</td>
                <td className="num">{formatCount(f.failed)}</td>
                <td className="num">{formatCount(f.rejected)}</td>
                <td className="num">{formatUsd(f.costUsd, "auto")}</td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatCount(data.totals.requests)}</td>
            <td className="num">{formatCount(data.totals.failed)}</td>
            <td className="num">{formatCount(data.totals.rejected)}</td>
            <td className="num">{formatUsd(data.totals.costUsd, "auto")}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The month's costs, this month or one of the eleven before. */
export function MonthlyCosts({ organizationId, timeZone }: { organizationId: string; timeZone: string }) {
  const months = useMemo(() => {
    const current = monthInTimezone(new Date(), timeZone);
    return Array.from({ length: 12 }, (_, i) => addMonths(current, -i));
  }, [timeZone]);
  const [month, setMonth] = useState(months[0]!);
  const costs = trpc.billing.monthlyCosts.useQuery({ organizationId, month });
  return (
    <>
      <MonthSelect label="Month" months={months} selected={month} onChange={setMonth} />
      {costs.isPending ? (
        <Loading label="Loading the month's costs…" />
      ) : costs.error ? (
        <ApiErrorNotice error={costs.error} onRetry={() => void costs.refetch()} />
      ) : (
        <MonthlyCostsTable data={costs.data} />
      )}
    </>
  );
}
