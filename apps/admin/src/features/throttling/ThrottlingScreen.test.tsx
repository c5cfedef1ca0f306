import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NotificationRegion, notifications } from "@wedsync/ui/Notifications";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { ThrottlingScreen } from "./ThrottlingScreen";
import { throttleItem } from "./test-data";

const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

afterEach(() => {
  vi.unstubAllGlobals();
  // One queue for the app: a toast from one test must not show in the next.
  notifications.clear();
});

const EMPTY = { items: [], nextCursor: null };

function screenWith(answers: Record<string, unknown>) {
  return renderAdmin(
    <>
      <ThrottlingScreen />
      <NotificationRegion />
    </>,
    { path: "/throttling", answers: { "admin.organizations.list": { rows: [], total: 0 }, ...answers } },
  );
}

describe("ThrottlingScreen", () => {
  it(
    "sets a throttle only through a confirmation saying exactly what is refused for whom, then announces it",
    async () => {
      const user = userEvent.setup();
      const { calls } = await screenWith({
        "throttles.list": EMPTY,
        "throttles.set": throttleItem({ scope: "platform", organizationId: null, organizationName: null }),
      });
      expect(await screen.findByText("No throttle is in force", undefined, WAIT)).toBeTruthy();
      expect(await screen.findByText("No throttle has ended yet", undefined, WAIT)).toBeTruthy();

      await user.click(screen.getByRole("radio", { name: /The whole platform/ }));
      await user.type(screen.getByRole("textbox", { name: "Reason" }), "Provider outage");
      await user.click(screen.getByRole("button", { name: "Review the throttle" }));
      const dialog = await screen.findByRole("alertdialog", undefined, WAIT);
      expect(within(dialog).getByRole("heading").textContent).toBe("Refuse these AI requests?");
      expect(dialog.textContent).toContain(
        "New AI requests from every organization on the platform (every feature) will all be refused until it is lifted by hand",
      );
      expect(dialog.textContent).toContain("Every organization sees it on a banner in the supplier app");
      expect(calls).not.toContain("throttles.set");

      await user.click(within(dialog).getByRole("button", { name: "Refuse requests now" }));
      // (A toast is an alertdialog too: look for the confirmation by its name.)
      await waitFor(
        () => expect(screen.queryByRole("alertdialog", { name: "Refuse these AI requests?" })).toBeNull(),
        WAIT,
      );
      expect(calls).toContain("throttles.set");
      const toasts = await screen.findByRole("region", { name: "Notifications" }, WAIT);
      await waitFor(() => expect(toasts.textContent).toContain("Throttle set"), WAIT);
      expect(toasts.textContent).toContain("The whole platform: AI requests refused.");
      // The form starts afresh for the next one.
      expect((screen.getByRole("textbox", { name: "Reason" }) as HTMLTextAreaElement).value).toBe("");
    },
    SLOW,
  );

  it(
    "drops a throttle from the list by itself when it expires, and says so",
    async () => {
      const expiring = throttleItem({
        organizationName: "Bloom & Petal Florals",
        expiresAt: new Date(Date.now() + 1_500),
      });
      await screenWith({ "throttles.list": { items: [expiring], nextCursor: null } });
      const table = await screen.findByRole("table", { name: "Throttles in force (1), newest first" }, WAIT);
      expect(within(table).getByRole("rowheader").textContent).toBe("Bloom & Petal Florals");

      expect(await screen.findByText("No throttle is in force", undefined, WAIT)).toBeTruthy();
      const toasts = screen.getByRole("region", { name: "Notifications" });
      expect(toasts.textContent).toContain("A throttle ended by itself");
      expect(toasts.textContent).toContain("Bloom & Petal Florals: AI requests refused.");
    },
    SLOW,
  );

  it(
    "opens the form on the organization the address names (a link from its page)",
    async () => {
      const id = "11111111-1111-4111-8111-111111111111";
      await renderAdmin(<ThrottlingScreen organizationId={id} />, {
        path: `/throttling?organizationId=${id}`,
        answers: {
          "throttles.list": EMPTY,
          "admin.organizations.get": { id, name: "Bloom & Petal Florals", tier: "free" },
          "admin.organizations.list": { rows: [], total: 0 },
        },
      });
      const organization = await screen.findByRole("combobox", { name: "Organization" }, WAIT);
      await waitFor(
        () => expect((organization as HTMLInputElement).value).toBe("Bloom & Petal Florals"),
        WAIT,
      );
    },
    SLOW,
  );

  it("says what went wrong when the throttles cannot be loaded, with a way to try again", async () => {
    await screenWith({});
    const alerts = await screen.findAllByRole("alert", undefined, WAIT);
    expect(alerts[0]!.textContent).toContain("Not found");
    expect(screen.getAllByRole("button", { name: "Try again" }).length).toBeGreaterThan(0);
  });
});
