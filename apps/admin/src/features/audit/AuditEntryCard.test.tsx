import { within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { AuditEntryCard } from "./AuditEntryCard";
import { anEntry, EVERMORE, STAFF } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("AuditEntryCard", { timeout: 30_000 }, () => {
  it("names the organization, who, what in words, when in the given zone, and the diff", async () => {
    await renderAdmin(
      <ol>
        <AuditEntryCard entry={anEntry()} timeZone="America/New_York" onRollback={vi.fn()} />
      </ol>,
    );
    const item = document.querySelector("[data-audit-id='41']") as HTMLElement;
    expect(within(item).getByRole("link", { name: "Evermore Wedding Planners" }).getAttribute("href")).toBe(
      `/admin/organizations/${EVERMORE}`,
    );
    expect(item.textContent).toContain("Olivia Owner changed Field extraction");
    expect(item.textContent).toContain("1 May 2026, 10:30");
    expect(item.textContent).not.toContain("Platform staff");
    const diff = within(item).getByRole("list", {
      name: "Changes in version 3 of Field extraction at Evermore Wedding Planners",
    });
    expect(
      within(diff)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Daily cost cap: from $50.00 a day → to $25.00 a day"]);
    expect(item.textContent).not.toMatch(/field_extraction|maxCostPerDay|platform_config/);
  });

  it("marks platform staff, and offers rollback for an organization's settings only", async () => {
    const user = userEvent.setup();
    const onRollback = vi.fn();
    const staffEntry = anEntry({
      id: 50,
      action: "rollback",
      actor: { kind: "user", id: STAFF, name: "Sam Staff", isPlatformStaff: true },
    });
    await renderAdmin(
      <ol>
        <AuditEntryCard entry={staffEntry} timeZone="UTC" onRollback={onRollback} />
        <AuditEntryCard
          entry={anEntry({
            id: 51,
            entityKind: "client_config",
            clientName: "Chloé & Louis",
            actor: { kind: "apiKey", id: "k1", name: "Zapier", isPlatformStaff: false },
          })}
          timeZone="UTC"
          onRollback={onRollback}
        />
      </ol>,
    );
    const staff = document.querySelector("[data-audit-id='50']") as HTMLElement;
    expect(staff.textContent).toContain(
      "Sam StaffPlatform staff rolled Field extraction back to an earlier version",
    );
    const client = document.querySelector("[data-audit-id='51']") as HTMLElement;
    expect(client.textContent).toContain(
      "API key “Zapier” changed Chloé & Louis's Field extraction settings",
    );
    expect(within(client).queryByRole("button")).toBeNull();

    await user.click(
      within(staff).getByRole("button", {
        name: "Roll back to this version (Field extraction at Evermore Wedding Planners, version 3)",
      }),
    );
    expect(onRollback).toHaveBeenCalledWith(staffEntry);
  });
});
