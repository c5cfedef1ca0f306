-- Every counted usage row says which day of its organization it counted on. Rejections written
-- before drizzle/0010 could lack it (they counted on the day they were inserted, in the
-- organization's timezone): filled in once, so the rollups can be rebuilt from the rows alone
-- (wedsync_rebuild_org_daily_rollups through wedsync_count_usage, installed at start).
UPDATE ai_usage_logs l SET quota_day = (l.created_at AT TIME ZONE o.timezone)::date
  FROM organizations o
 WHERE o.id = l.organization_id AND l.quota_day IS NULL AND l.status <> 'pending';
