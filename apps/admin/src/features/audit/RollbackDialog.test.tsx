import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { RollbackDialog } from "./RollbackDialog";
import { anEntry, configOf, EVERMORE, failNext } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

const changesIn = (dialog: HTMLElement) =>
  within(within(dialog).getByRole("list", { name: "What the rollback changes" }))
    .getAllByRole("listitem")
    .map((li) => li.textContent);

describe("RollbackDialog", { timeout: 30_000 }, () => {
  it("lists what changes from the stored settings, rolls back with the version it compared, and closes", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const { calls } = await renderAdmin(<RollbackDialog entry={anEntry()} onClose={onClose} />, {
      answers: {
        "platform.config.get": configOf(),
        "platform.config.rollback": {
          config: { ...configOf().features[0], version: 6 },
          cascadedClientConfigs: 2,
        },
      },
    });
    const dialog = await screen.findByRole("alertdialog", {
      name: "Roll Field extraction at Evermore Wedding Planners back to version 3?",
    });
    await waitFor(() =>
      expect(changesIn(dialog)).toEqual(["Daily cost cap: from $40.00 a day → to $25.00 a day"]),
    );
    expect(dialog.textContent).toContain("stored now (version 5)");
    await user.click(within(dialog).getByRole("button", { name: "Roll back" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls).toContain("platform.config.rollback");
    const sent = (fetch as unknown as { mock: { calls: [string, RequestInit?][] } }).mock.calls.find(
      ([url]) => String(url).includes("platform.config.rollback"),
    );
    expect(JSON.parse(String(sent?.[1]?.body))).toEqual({
      0: { json: { organizationId: EVERMORE, auditId: 41, expectedVersion: 5 } },
    });
  });

  it("says when the stored settings already match, and offers only Close", async () => {
    await renderAdmin(<RollbackDialog entry={anEntry()} onClose={vi.fn()} />, {
      answers: { "platform.config.get": configOf({ maxCostPerDay: "25.00" }) },
    });
    const dialog = await screen.findByRole("alertdialog");
    expect(
      await within(dialog).findByText(/already match version 3: there is nothing to roll back/),
    ).toBeTruthy();
    expect(within(dialog).queryByRole("button", { name: "Roll back" })).toBeNull();
    expect(within(dialog).getByRole("button", { name: "Close" })).toBeTruthy();
  });

  it("explains a CONFLICT, compares with the other person's change and stays open to confirm again", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    await renderAdmin(<RollbackDialog entry={anEntry()} onClose={onClose} />, {
      answers: { "platform.config.get": configOf() },
    });
    const dialog = await screen.findByRole("alertdialog");
    await waitFor(() => expect(changesIn(dialog)).toHaveLength(1));
    // Meanwhile someone set the cap to 30.00 and the model to gpt-4o (version 6).
    const theirs = { ...configOf().features[0], maxCostPerDay: "30.00", model: "gpt-4o", version: 6 };
    const sent = failNext("platform.config.rollback", {
      code: "CONFLICT",
      httpStatus: 409,
      message: "This configuration was changed by someone else",
      details: { current: theirs },
    });
    await user.click(within(dialog).getByRole("button", { name: "Roll back" }));
    expect(
      await within(dialog).findByText(
        /Someone changed Field extraction at Evermore Wedding Planners while this was open \(it is now at version 6\)/,
      ),
    ).toBeTruthy();
    expect(sent).toHaveLength(1);
    expect(onClose).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(changesIn(dialog)).toEqual([
        "Daily cost cap: from $30.00 a day → to $25.00 a day",
        "Model: from gpt-4o → to gpt-4o-mini",
      ]),
    );
    expect(within(dialog).getByRole("button", { name: "Roll back" })).toBeTruthy();
  });
});
