import { CHANGE_HISTORY_PAGE } from "@wedsync/core/domain";

/** Change-history entries per page: the screen asks for this many, and the server's first paint holds the same page. */
export const AUDIT_PAGE = CHANGE_HISTORY_PAGE;
