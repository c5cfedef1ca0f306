import { type APIRequestContext, expect } from "@playwright/test";

/**
 * tRPC over plain HTTP with the page's session cookie (superjson's { json } envelope): for a test
 * to act as "someone else" (another tab, user or instance) or to read the truth behind a screen.
 */
export async function trpcQuery<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

export async function trpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** The id of a demo organization, by name, from the signed-in person's session. */
export async function organizationId(request: APIRequestContext, name: string): Promise<string> {
  const session = await trpcQuery<{ organizations: Array<{ id: string; name: string }> }>(
    request,
    "auth.session",
    undefined,
  );
  const org = session.organizations.find((o) => o.name === name);
  expect(org, `member of ${name}`).toBeDefined();
  return org!.id;
}
