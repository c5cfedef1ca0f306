import { CLIENT_STATUSES, FEATURE_TYPES } from "@wedsync/core/domain";
import { z } from "zod";

/**
 * The client list's address: search words, status and page, so a link shows the same list and
 * Back returns to the previous one. A malformed value is dropped rather than failing the screen.
 */
export const clientListSearch = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(CLIENT_STATUSES).optional().catch(undefined),
  /** The cursors of the pages after the first, in order: the last is the page shown. */
  pages: z.array(z.uuid()).max(100).optional().catch(undefined),
});
export type ClientListSearch = z.infer<typeof clientListSearch>;

/** The client page's address: which feature's settings are open. */
export const clientPageSearch = z.object({
  feature: z.enum(FEATURE_TYPES).optional().catch(undefined),
});
export type ClientPageSearch = z.infer<typeof clientPageSearch>;
