/** Change-history entries per page: the screen asks for this many, and its route prefetches the same page. */
export const AUDIT_PAGE = 20;
