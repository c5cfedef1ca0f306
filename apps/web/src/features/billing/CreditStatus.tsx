import { formatUsd } from "@wedsync/ui/format";
import { monthLabel } from "@wedsync/ui/months";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { UsageMeter } from "@wedsync/ui/UsageMeter";

export type Credit = RouterOutputs["billing"]["creditStatus"];

const STATUS_WORDS: Record<Credit["status"], string> = {
  ok: "Within your monthly credit limit.",
  warning: "Over 80% of your monthly credit limit: new AI requests stop when it is reached.",
  exceeded:
    "Credit limit reached: new AI requests are turned away until next month, or until platform staff raise the limit.",
};

/** This month's spend (requests in flight included) against the monthly credit limit. */
export function CreditStatus({ credit }: { credit: Credit }) {
  return (
    <div className="panel" data-testid="credit-status">
      <UsageMeter
        label={`Spent in ${monthLabel(credit.month)}`}
        // Number() only for the bar's length; the words use the exact strings.
        value={Number(credit.usedUsd)}
        max={Number(credit.limitUsd)}
        valueText={`${formatUsd(credit.usedUsd, "auto")} of ${formatUsd(credit.limitUsd)}`}
      />
      <p className={`small credit-${credit.status}`}>{STATUS_WORDS[credit.status]}</p>
    </div>
  );
}
