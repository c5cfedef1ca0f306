import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CopyButton } from "./CopyButton";

describe("CopyButton", () => {
  it("copies the text and says so politely", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue(undefined);
    render(<CopyButton text="wsk_secret" label="Copy key" visibleLabel="Copy" />);
    await user.click(screen.getByRole("button", { name: "Copy key" }));
    expect(writeText).toHaveBeenCalledWith("wsk_secret");
    expect(screen.getByText("Copied.").getAttribute("aria-live")).toBe("polite");
  });

  it("says what to do when the browser refuses to copy", async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new Error("denied"));
    render(<CopyButton text="wsk_secret" />);
    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(screen.getByText("Could not copy: select the text and copy it.")).toBeTruthy();
  });
});
