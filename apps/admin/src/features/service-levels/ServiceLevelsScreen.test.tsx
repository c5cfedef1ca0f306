import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { ServiceLevelsScreen } from "./ServiceLevelsScreen";
import { anOverview } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("ServiceLevelsScreen", { timeout: 30_000 }, () => {
  it("shows the verdict, the figures, breaches highlighted and in words, providers and the cache", async () => {
    await renderAdmin(<ServiceLevelsScreen search={{}} onSearch={vi.fn()} />, {
      answers: { "serviceLevels.overview": anOverview() },
    });
    expect((await screen.findByTestId("sla-verdict")).textContent).toContain(
      "1 of 2 endpoints broke the SLA.",
    );
    const totals = screen.getByTestId("sla-totals");
    expect(totals.textContent).toContain("Requests1,100");
    expect(totals.textContent).toContain("p95600 ms");
    expect(totals.textContent).toContain("Server errors0.36%");

    const endpoints = screen.getByTestId("endpoint-sla");
    const rows = within(endpoints).getAllByRole("row").slice(1);
    // The broken endpoint first, tinted, its breach said in words.
    expect(rows[0]!.className).toBe("sla-breach");
    expect(rows[0]!.textContent).toContain("v1:chat.completions");
    expect(rows[0]!.textContent).toContain("95% of responses took up to 1,250 ms (the SLA allows 500 ms)");
    expect(rows[1]!.textContent).toContain("Met");

    const orgs = screen.getByTestId("organization-sla");
    const evermore = within(orgs).getByRole("row", { name: /Evermore Wedding Planners/ });
    expect(evermore.textContent).toContain("Broken on one endpoint: v1:chat.completions");
    expect(within(evermore).getByRole("link").getAttribute("href")).toBe(
      "/admin/organizations/33333333-3333-4333-8333-333333333333",
    );

    const providers = screen.getByTestId("providers");
    const openai = within(providers).getByRole("row", { name: /OpenAI/ });
    expect(openai.textContent).toContain(
      "Failing: requests skip it and go to the fallback (since 1 May 2026, 11:58:00 UTC)",
    );
    expect(openai.textContent).toContain("5 failures in a row");
    expect(within(providers).getByRole("row", { name: /Local rules engine/ }).textContent).toContain(
      "Healthy",
    );
    expect(providers.textContent).not.toMatch(/closed|half-open|\bopen\b/);
    const failures = screen.getByRole("region", { name: "OpenAI: last failures, newest first" });
    expect(
      within(failures)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "1 May 2026, 11:59:00 UTC: upstream error (500)",
      "1 May 2026, 11:58:30 UTC: timed out after 30 s",
    ]);
    expect(screen.getByTestId("config-cache").textContent).toContain(
      "96.0% of 1,000 configuration lookups on this server were answered from the cache",
    );
    // Four charts, each with its table and CSV.
    for (const title of [
      "95% of responses within, over time",
      "Server errors over time",
      "Response times by endpoint",
      "Response times by organization",
    ])
      expect(screen.getByRole("button", { name: `Download CSV: ${title}` })).toBeTruthy();
  });

  it("a period chosen on screen becomes the address; unusable days are said and replaced", async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    await renderAdmin(
      <ServiceLevelsScreen
        search={{ period: "range", from: "2020-01-01", to: "2020-03-01" }}
        onSearch={onSearch}
      />,
      { answers: { "serviceLevels.overview": anOverview() } },
    );
    expect(await screen.findByText(/Those days cannot be shown: Choose at most 31 days\./)).toBeTruthy();
    await user.click(screen.getByRole("radio", { name: "Last 7 days" }));
    expect(onSearch).toHaveBeenLastCalledWith({ period: "7d" });
  });

  it("says when there were no requests, still showing the providers", async () => {
    const quiet = anOverview({
      totals: { ...anOverview().totals, requests: 0, endpointCount: 0, breachedEndpointCount: 0 },
      endpoints: [],
      organizations: [],
    });
    await renderAdmin(<ServiceLevelsScreen search={{}} onSearch={vi.fn()} />, {
      answers: { "serviceLevels.overview": quiet },
    });
    expect(await screen.findByText("No requests in this period")).toBeTruthy();
    expect(screen.queryByTestId("endpoint-sla")).toBeNull();
    expect(screen.getByTestId("providers")).toBeTruthy();
  });
});
