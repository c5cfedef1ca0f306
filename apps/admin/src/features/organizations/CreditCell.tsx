import { formatUsd } from "@wedsync/ui/format";
import { UsageMeter } from "@wedsync/ui/UsageMeter";
import { CREDIT_WORDS } from "./words";

export interface Credit {
  status: string;
  usedUsd: string;
  limitUsd: string;
}

/**
 * This month's credit: a meter against the monthly limit (amber from 80 %, red at 100 %, the
 * level also in words) when there is a limit; otherwise the status in words.
 */
export function CreditCell({ credit, label = "Credit used" }: { credit: Credit; label?: string }) {
  // Number() only for the meter's ratio; the figures shown are the API's exact strings.
  const limit = Number(credit.limitUsd);
  if (!(limit > 0)) return <span>{CREDIT_WORDS[credit.status] ?? credit.status}</span>;
  return (
    <UsageMeter
      label={label}
      value={Number(credit.usedUsd)}
      max={limit}
      valueText={`${formatUsd(credit.usedUsd, "auto")} of ${formatUsd(credit.limitUsd)}`}
    />
  );
}
