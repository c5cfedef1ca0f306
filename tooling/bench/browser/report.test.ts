import { describe, expect, it } from "vitest";
import {
  formatKb,
  formatMs,
  formatRatio,
  markdownTable,
  medianSample,
  phasesTable,
  ratio,
  type Sample,
  type ScreenRun,
  shortPath,
  summarize,
  textTable,
  timelineLines,
  verdictLine,
  verdicts,
} from "./report";

const bytes = (encoded: number, decoded = encoded * 3, files = 4) => ({ encoded, decoded, files });

function sample(ms: number, encoded = 100_000): Sample {
  return {
    ms,
    readyJs: bytes(encoded),
    allJs: bytes(encoded + 1_000),
    apiCalls: 2,
    phases: { html: 10, entryRun: ms / 2, lastScript: ms / 3, lastApi: ms - 20, lastResponse: ms + 300 },
  };
}

const run = (name: string, ms: number[], failures: string[] = []): ScreenRun => ({
  name,
  label: name,
  path: `/${name}`,
  samples: ms.map((m) => sample(m)),
  failures,
});

describe("summarize", () => {
  it("takes the median of the successful loads and the ratio to the baseline's median", () => {
    const s = summarize(run("config", [900, 700, 1_300, 800, 1_000]), 400);
    expect(s.ms).toBe(900);
    expect(s.minMs).toBe(700);
    expect(s.maxMs).toBe(1_300);
    expect(s.ratio).toBe(2.25);
    expect(s.runs).toBe(5);
    expect(s.failed).toBe(0);
    expect(s.readyJs).toEqual(bytes(100_000));
    expect(s.allJs.encoded).toBe(101_000);
    expect(s.apiCalls).toBe(2);
    expect(s.phases.entryRun).toBe(450);
  });

  it("counts failed loads among the runs and leaves them out of the figures", () => {
    const s = summarize(run("analytics", [1_000, 1_200], ["not ready after 20000 ms"]), 500);
    expect(s.runs).toBe(3);
    expect(s.failed).toBe(1);
    expect(s.ms).toBe(1_100);
  });

  it("has no figures, rather than zeros, when every load failed", () => {
    const s = summarize(run("billing", [], ["x", "y"]), 500);
    expect(Number.isNaN(s.ms)).toBe(true);
    expect(Number.isNaN(s.ratio)).toBe(true);
    expect(Number.isNaN(s.readyJs.encoded)).toBe(true);
  });
});

describe("ratio", () => {
  it("is NaN without a usable baseline", () => {
    expect(ratio(900, 450)).toBe(2);
    expect(Number.isNaN(ratio(900, 0))).toBe(true);
    expect(Number.isNaN(ratio(900, Number.NaN))).toBe(true);
    expect(Number.isNaN(ratio(Number.NaN, 450))).toBe(true);
  });
});

describe("formatting", () => {
  it("rounds milliseconds and groups thousands with a space", () => {
    expect(formatMs(999.4)).toBe("999");
    expect(formatMs(999.5)).toBe("1 000");
    expect(formatMs(1_234_567)).toBe("1 234 567");
    expect(formatMs(Number.NaN)).toBe("-");
  });

  it("shows kilobytes of 1 024 bytes and ratios with two decimals", () => {
    expect(formatKb(1_536)).toBe("1.5");
    expect(formatKb(1_347_891)).toBe("1 316.3");
    expect(formatKb(Number.NaN)).toBe("-");
    expect(formatRatio(1.2345)).toBe("1.23×");
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe("-");
  });

  it("hides the organization's and client's ids in paths", () => {
    const org = "e03decac-1238-4eaf-b40b-19dc26d68f99";
    const client = "0a1b2c3d-1238-4eaf-b40b-19dc26d68f99";
    expect(shortPath(`/o/${org}/clients/${client}`)).toBe("/o/<org>/clients/<client>");
    expect(shortPath(`/o/${org}/config`)).toBe("/o/<org>/config");
    expect(shortPath("/no-such-page")).toBe("/no-such-page");
  });
});

describe("verdicts", () => {
  it("judges configuration against 1 s and analytics against 1.5 s, strictly below", () => {
    const [config, analytics] = verdicts([
      summarize(run("config", [1_000, 1_000, 1_000]), 500),
      summarize(run("analytics", [1_400, 1_499, 1_450]), 500),
    ]);
    expect(config).toMatchObject({ label: "configuration", ms: 1_000, maxMs: 1_000, met: false });
    expect(analytics).toMatchObject({ label: "analytics", ms: 1_450, met: true });
    expect(verdictLine(config!, 3)).toBe("configuration: 1 000 ms, target < 1 000 ms (median of 3): NOT MET");
    expect(verdictLine(analytics!, 3)).toBe("analytics: 1 450 ms, target < 1 500 ms (median of 3): met");
  });

  it("does not judge a screen left out or with a failed load", () => {
    const [config, analytics] = verdicts([summarize(run("config", [500, 600], ["timeout"]), 500)]);
    expect(config!.met).toBeUndefined();
    expect(analytics!.met).toBeUndefined();
    expect(verdictLine(analytics!, 5)).toBe("analytics: - ms, target < 1 500 ms (median of 5): NOT MEASURED");
  });
});

describe("tables", () => {
  it("pads text columns, left-aligned first, right-aligned after", () => {
    expect(
      textTable(
        ["screen", "ms"],
        [
          ["config", "900"],
          ["api", "1 100"],
        ],
        1,
      ),
    ).toBe(["screen     ms", "------  -----", "config    900", "api     1 100"].join("\n"));
  });

  it("writes Markdown with right-aligned number columns", () => {
    expect(markdownTable(["screen", "ms"], [["config", "900"]], 1)).toBe(
      ["| screen | ms |", "| --- | --: |", "| config | 900 |"].join("\n"),
    );
  });

  it("lists each screen's milestones ending with its ready time", () => {
    const table = phasesTable([summarize(run("config", [800]), 400)]);
    expect(table.split("\n")[0]!.split(/\s{2,}/)).toEqual([
      "screen",
      "HTML",
      "entry run",
      "last script",
      "last API answer",
      "API calls",
      "ready",
      "network quiet",
    ]);
    expect(table.split("\n")[2]!.split(/\s{2,}/)).toEqual([
      "config",
      "10",
      "400",
      "267",
      "780",
      "2",
      "800",
      "1 100",
    ]);
  });
});

describe("timeline", () => {
  it("picks the middle load, the lower one of an even count", () => {
    expect(medianSample([sample(900), sample(700), sample(800)])?.ms).toBe(800);
    expect(medianSample([sample(900), sample(700), sample(800), sample(1_000)])?.ms).toBe(800);
    expect(medianSample([])).toBeUndefined();
  });

  it("lists requests by start and marks when the screen became ready", () => {
    const load: Sample = {
      ...sample(900),
      timeline: [
        { path: "/trpc/platform.config.get", start: 700, end: 850 },
        { path: "/assets/index-abc.js", start: 20, end: 300 },
        { path: "/trpc/alerts.list", start: 950, end: 990 },
      ],
    };
    expect(timelineLines(load).map((l) => l.trim().split(/\s+/))).toEqual([
      ["20", "→", "300", "/assets/index-abc.js"],
      ["700", "→", "850", "/trpc/platform.config.get"],
      ["900", "ready"],
      ["950", "→", "990", "/trpc/alerts.list"],
    ]);
  });
});
