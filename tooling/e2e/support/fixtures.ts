import { test as base, type ConsoleMessage, expect } from "@playwright/test";

/**
 * Chromium logs every 4xx/5xx answer to the console as "Failed to load resource". One is the
 * API's ordinary answer, not a fault: auth.login says UNAUTHORIZED for a wrong password. Any other
 * failed request, including a 401 from any other procedure or a batch, still fails the test.
 */
const EXPECTED_HTTP_ERRORS: ExpectedHttpError[] = [{ status: 401, path: "/trpc/auth.login" }];

/** An answer a test provokes on purpose (a CONFLICT, a refused value): `path` is the request's pathname. */
export interface ExpectedHttpError {
  status: number;
  path: string;
}

function isExpectedHttpError(message: ConsoleMessage, extra: ExpectedHttpError[]): boolean {
  const match = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
  if (!match) return false;
  const { pathname } = new URL(message.location().url);
  return [...EXPECTED_HTTP_ERRORS, ...extra].some(
    (e) => e.status === Number(match[1]) && e.path === pathname,
  );
}

/**
 * Every test collects the page's console errors and uncaught exceptions, and fails when there
 * were any. `consoleErrors` is also available to tests that want to assert on it themselves.
 */
export const test = base.extend<{ consoleErrors: string[]; expectedHttpErrors: ExpectedHttpError[] }>({
  /** Set per test or file with test.use({ expectedHttpErrors: [...] }) for errors provoked on purpose. */
  expectedHttpErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedHttpErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !isExpectedHttpError(message, expectedHttpErrors)) {
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
