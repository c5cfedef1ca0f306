import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { AuditEntry } from "./AuditEntry";
import { actionWords, actorWords, auditDiff } from "./audit";
import { aFeature, anAuditRow } from "./test-fixtures";

describe("audit words", () => {
  it("diffs an entry setting by setting, in words", () => {
    expect(auditDiff(anAuditRow())).toEqual([
      { field: "maxCostPerDay", label: "Daily cost cap", before: "$50.00 a day", after: "$25.00 a day" },
      { field: "model", label: "Model", before: "gpt-4o-mini", after: "gpt-4o" },
    ]);
  });
  it("flattens a client's overrides, null said as inherited", () => {
    const entry = anAuditRow({
      entityKind: "client_config",
      action: "cascade_clamp",
      before: {
        featureType: "pdf_analysis",
        clientId: "c",
        overrides: { maxRequestsPerDay: 500, isEnabled: null },
      },
      after: {
        featureType: "pdf_analysis",
        clientId: "c",
        overrides: { maxRequestsPerDay: 200, isEnabled: null },
      },
    });
    expect(auditDiff(entry).map((l) => `${l.label}: ${l.before} → ${l.after}`)).toEqual([
      "Daily request cap: 500 requests a day → 200 requests a day",
    ]);
    expect(actionWords(entry)).toBe(
      "lowered a client's PDF analysis override to fit the organization's new limits",
    );
  });
  it("lists only what a first setup set, without a before", () => {
    const entry = anAuditRow({
      entityKind: "client_config",
      action: "create",
      before: null,
      after: {
        featureType: "field_extraction",
        clientId: "c",
        overrides: {
          isEnabled: null,
          maxRequestsPerDay: 200,
          maxCostPerDay: "10.00",
          rateLimitPerMinute: null,
        },
        customPrompts: {},
      },
    });
    expect(auditDiff(entry)).toEqual([
      { field: "maxRequestsPerDay", label: "Daily request cap", before: null, after: "200 requests a day" },
      { field: "maxCostPerDay", label: "Daily cost cap", before: null, after: "$10.00 a day" },
    ]);
    expect(actionWords(entry)).toBe("set a client's own Field extraction settings");
  });

  it("says who: you, a person or an API key by name, WedSync itself", () => {
    const nobody = { actorName: null, apiKeyName: null };
    expect(actorWords({ ...nobody, actorUserId: "me", actorApiKeyId: null, actorName: "Eve" }, "me")).toBe(
      "You",
    );
    expect(
      actorWords({ ...nobody, actorUserId: "u2", actorApiKeyId: null, actorName: "Sam Admin" }, "me"),
    ).toBe("Sam Admin");
    expect(actorWords({ ...nobody, actorUserId: "u3", actorApiKeyId: null }, "me")).toBe(
      "A former team member",
    );
    expect(
      actorWords({ ...nobody, actorUserId: null, actorApiKeyId: "k1", apiKeyName: "Zapier" }, "me"),
    ).toBe("API key “Zapier”");
    expect(actorWords({ ...nobody, actorUserId: null, actorApiKeyId: null }, "me")).toBe("WedSync");
  });

  it("names the client a client-level entry is about", () => {
    const entry = anAuditRow({ entityKind: "client_config", action: "update", clientName: "Chloé & Louis" });
    expect(actionWords(entry)).toBe("changed Chloé & Louis's Field extraction settings");
  });
});

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
