import { test as base, type ConsoleMessage, expect } from "@playwright/test";

/**
 * Chromium logs every 4xx/5xx answer to the console as "Failed to load resource". One is the
 * API's ordinary answer, not a fault: auth.login says UNAUTHORIZED for a wrong password. Any other
 * failed request, including a 401 from any other procedure or a batch, still fails the test.
 */
const EXPECTED_HTTP_ERRORS = [{ status: 401, path: "/trpc/auth.login" }];

function isExpectedHttpError(message: ConsoleMessage): boolean {
  const match = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
  if (!match) return false;
  const { pathname } = new URL(message.location().url);
  return EXPECTED_HTTP_ERRORS.some((e) => e.status === Number(match[1]) && e.path === pathname);
}

/**
 * Every test collects the page's console errors and uncaught exceptions, and fails when there
 * were any. `consoleErrors` is also available to tests that want to assert on it themselves.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !isExpectedHttpError(message)) {
          errors.push(`${message.text()} (${message.location().url})`);
        }
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, "console errors on the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
