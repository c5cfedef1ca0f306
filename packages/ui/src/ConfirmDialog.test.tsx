import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./ConfirmDialog";

function Harness({ onConfirm }: { onConfirm: () => Promise<unknown> }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      trigger="Roll back"
      title="Roll back to version 3?"
      confirmLabel="Roll back"
      onConfirm={async () => {
        try {
          await onConfirm();
        } catch (e) {
          setError((e as Error).message);
          throw e;
        }
      }}
    >
      <p>Daily cost cap: $25.00 → $10.00</p>
      {error && <p role="alert">{error}</p>}
    </ConfirmDialog>
  );
}

describe("ConfirmDialog", () => {
  it("opens a modal alert dialog naming what will change, and Cancel changes nothing", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(async () => {});
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    const dialog = screen.getByRole("alertdialog", { name: "Roll back to version 3?" });
    expect(dialog.textContent).toContain("$25.00 → $10.00");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("runs the action once on confirm and closes when it succeeds", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(async () => {});
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    const dialog = screen.getByRole("alertdialog");
    await user.click(dialog.querySelector("button:last-of-type") as HTMLElement);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("stays open with the error when the action fails, so it can be read and retried", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(async () => {
      throw new Error("Someone else changed this a moment ago");
    });
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    await user.click(screen.getByRole("alertdialog").querySelector("button:last-of-type") as HTMLElement);
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("Someone else changed this a moment ago");
  });

  it("is keyboard operable: Escape closes it and focus returns to the button that opened it", async () => {
    const user = userEvent.setup();
    render(<Harness onConfirm={async () => {}} />);
    const opener = screen.getByRole("button", { name: "Roll back" });
    opener.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    // React Aria restores focus on the next frame.
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
