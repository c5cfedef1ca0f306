import { meterLevel } from "@wedsync/ui/UsageMeter";

/**
 * The projected month against the credit limit: its level by the meters' one rule (amber from
 * 80 %, red from 100 %), the share of the limit in whole percent (rounded down) and how far past
 * it the month is expected to go.
 */
export function projectionAgainstLimit(projectedMicros: bigint, limitMicros: bigint) {
  return {
    level: meterLevel(Number(projectedMicros), Number(limitMicros)),
    percent: limitMicros > 0n ? Number((projectedMicros * 100n) / limitMicros) : null,
    overMicros: projectedMicros > limitMicros ? projectedMicros - limitMicros : 0n,
  };
}
