import {
  aiUsageClientMonthlyRollups,
  aiUsageDailyRollups,
  aiUsageLatencyMonthlyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
} from "@wedsync/core";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countUsageFunctionSql, LATENCY_GRAINS, USAGE_COUNTERS, USAGE_GRAINS } from "./usage-functions";

const columnsOf = (table: Table) => Object.values(getTableColumns(table)).map((c) => c.name);

describe("the generated usage functions", () => {
  it.each([aiUsageDailyRollups, aiUsageOrgDailyRollups, aiUsageClientMonthlyRollups])(
    "every column of %s is a key or a counter of wedsync_count_usage: a new one cannot be forgotten",
    (table) => {
      const grain = USAGE_GRAINS.find((g) => g.table === getTableName(table));
      expect(grain).toBeDefined();
      const covered = [...grain!.keys.map(([c]) => c), ...USAGE_COUNTERS.map(([c]) => c)];
      expect(columnsOf(table).sort()).toEqual([...covered].sort());
    },
  );

  it.each([aiUsageLatencyRollups, aiUsageLatencyMonthlyRollups])(
    "%s is keyed and counted by the function",
    (table) => {
      const grain = LATENCY_GRAINS.find((g) => g.table === getTableName(table));
      expect(grain).toBeDefined();
      expect(columnsOf(table).sort()).toEqual([...grain!.keys.map(([c]) => c), "count"].sort());
    },
  );

  it("upserts every counter into every usage rollup, in key order", () => {
    const body = countUsageFunctionSql();
    for (const grain of USAGE_GRAINS) {
      const insert = body.slice(body.indexOf(`INSERT INTO ${grain.table} `));
      const statement = insert.slice(0, insert.indexOf(";"));
      for (const [column] of USAGE_COUNTERS)
        expect(statement).toContain(`${column} = r.${column} + excluded.${column}`);
      expect(statement).toMatch(/GROUP BY ([\d, ]+) ORDER BY \1/);
    }
  });
});
