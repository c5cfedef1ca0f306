import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { AuditEntry } from "./AuditEntry";
import { aFeature, anAuditRow } from "./test-fixtures";

describe("AuditEntry", { timeout: 30_000 }, () => {
  it("shows who, what and the diff, and rolls back through a confirmation that states what will change", async () => {
    const user = userEvent.setup();
    const onRollback = vi.fn(async () => {});
    // Stored now: the cost cap was raised again to 40.00, the model is still gpt-4o (version 5).
    const current = aFeature({ version: 5, maxCostPerDay: "40.00", model: "gpt-4o" });
    render(
      <ol>
        <AuditEntry
          entry={anAuditRow()}
          who="You"
          timeZone="America/New_York"
          current={current}
          canRollback
          onRollback={onRollback}
        />
      </ol>,
    );
    const item = document.querySelector("[data-audit-id='41']") as HTMLElement;
    expect(item.textContent).toContain("You changed Field extraction");
    expect(item.textContent).toContain("1 May 2026, 10:30");
    const diff = screen.getByRole("list", { name: "Changes in version 3 of Field extraction" });
    expect(
      within(diff)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Daily cost cap: from $50.00 a day → to $25.00 a day", "Model: from gpt-4o-mini → to gpt-4o"]);

    await user.click(
      screen.getByRole("button", { name: "Roll back to this version (Field extraction, version 3)" }),
    );
    const dialog = screen.getByRole("alertdialog", { name: "Roll Field extraction back to version 3?" });
    // Only what differs from the stored settings: the cost cap (40.00 → 25.00), not the model.
    const changes = within(dialog).getByRole("list", { name: "What the rollback changes" });
    expect(
      within(changes)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Daily cost cap: from $40.00 a day → to $25.00 a day"]);
    await user.click(within(dialog).getByRole("button", { name: "Roll back" }));
    await waitFor(() => expect(onRollback).toHaveBeenCalledWith(41, 5));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("offers no rollback for a client's change, nor when the stored settings already match", () => {
    render(
      <ol>
        <AuditEntry
          entry={anAuditRow({ id: 7 })}
          who="You"
          timeZone="UTC"
          current={aFeature({ maxCostPerDay: "25.00", model: "gpt-4o", version: 3 })}
          canRollback
          onRollback={vi.fn()}
        />
        <AuditEntry
          entry={anAuditRow({ id: 8, entityKind: "client_config" })}
          who="You"
          timeZone="UTC"
          current={undefined}
          canRollback
          onRollback={vi.fn()}
        />
      </ol>,
    );
    expect(screen.queryByRole("button", { name: /Roll back/ })).toBeNull();
    expect(screen.getByText("The settings stored now already match this version.")).toBeTruthy();
  });
});
