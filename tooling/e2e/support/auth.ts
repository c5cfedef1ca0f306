import type { Page } from "@playwright/test";

export const DEMO_PASSWORD = "wedsync-demo";

/** Fill and submit the sign-in form on the current page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** What auth.me answers for this page's cookies: the HTTP status and the tRPC error code, if any. */
export async function whoAmI(page: Page): Promise<{ status: number; code: string | undefined }> {
  const response = await page.request.get("/trpc/auth.me");
  const body = (await response.json()) as { error?: { json?: { data?: { code?: string } } } };
  return { status: response.status(), code: body.error?.json?.data?.code };
}
